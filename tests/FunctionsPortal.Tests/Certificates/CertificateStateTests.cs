using FunctionsPortal.Certificates;
using FunctionsPortal.Checklists;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Tests.Certificates;

/// <summary>A certificate is current, expiring within the warning window, expired, or unknown — and unknown never counts as certified.</summary>
public sealed class CertificateStateTests
{
    private static readonly DateOnly Today = new(2027, 1, 10);

    private static Certification Expiring(DateOnly? on) => new("privacymark", null, "1", on);

    [Theory]
    [InlineData(61, CertificateState.Current)]
    [InlineData(60, CertificateState.Expiring)]
    [InlineData(0, CertificateState.Expiring)]
    [InlineData(-1, CertificateState.Expired)]
    public void TheStateFollowsTheDaysLeft(int daysLeft, string state)
    {
        var result = CertificateState.For(Expiring(Today.AddDays(daysLeft)), Today, warnDays: 60);

        Assert.Equal(state, result.Name);
        Assert.Equal(daysLeft, result.DaysLeft);
    }

    [Fact]
    public void AnUnknownExpiryIsUnknownAndSaysSo()
    {
        var state = CertificateState.For(Expiring(null), Today, warnDays: 60);

        Assert.Equal(CertificateState.Unknown, state.Name);
        Assert.Null(state.DaysLeft);
        Assert.Equal(("有効期限不明", "Expiry unknown"), state.Label);
        Assert.Equal(("あと5日で期限切れ", "Expires in 5 days"), CertificateState.For(Expiring(Today.AddDays(5)), Today, 60).Label);
    }

    [Fact]
    public void OnlyACertificateKnownToBeInForceMakesTheVendorCertified()
    {
        static bool Certified(params Certification[] certifications) =>
            VendorProfiles.For(SampleVendors.Domestic() with { Certifications = certifications }, hasSubcontractors: false, Today).Flags.Contains(VendorProfile.Certified);

        Assert.False(Certified(Expiring(null)));
        Assert.False(Certified(Expiring(Today.AddDays(-1))));
        Assert.True(Certified(Expiring(Today)));
        Assert.True(Certified(Expiring(null), Expiring(Today.AddDays(300))));
    }
}
