using FunctionsPortal.Checklists;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Tests.Vendors;

/// <summary>The checklist's view of a vendor: a vendor that says it subcontracts is asked the subcontracting items even before any subcontractor is registered.</summary>
public sealed class VendorProfilesTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    [Fact]
    public void StatedOrRegisteredSubcontractingSetsTheFlagAndAStatedNoDoesNotHideRegisteredOnes()
    {
        var stated = VendorProfiles.For(SampleVendors.Domestic() with { Subcontracts = true }, hasSubcontractors: false, Today);
        var unknown = VendorProfiles.For(SampleVendors.Domestic(), hasSubcontractors: false, Today);
        var registered = VendorProfiles.For(SampleVendors.Domestic() with { Subcontracts = false }, hasSubcontractors: true, Today);

        Assert.Contains(VendorProfile.Subcontracts, stated.Flags);
        Assert.DoesNotContain(VendorProfile.Subcontracts, unknown.Flags);
        Assert.Contains(VendorProfile.Subcontracts, registered.Flags);
    }
}
