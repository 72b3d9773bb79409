using FunctionsPortal.Checklists;

namespace FunctionsPortal.Vendors;

public static class VendorProfiles
{
    /// <summary>The checklist's view of a vendor on a given day (certifications expire).</summary>
    public static VendorProfile For(Vendor vendor, bool hasSubcontractors, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var countries = vendor.Countries;
        var storageAbroad = countries.Storage.Any(country => country != "JP");
        var accessAbroad = countries.Access.Any(country => country != "JP");
        if (storageAbroad)
        {
            flags.Add(VendorProfile.OverseasStorage);
        }

        if (accessAbroad)
        {
            flags.Add(VendorProfile.OverseasAccess);
        }

        if (storageAbroad || accessAbroad || countries.Company != "JP")
        {
            flags.Add(VendorProfile.Overseas);
        }

        if (hasSubcontractors || vendor.Subcontracts == true)
        {
            flags.Add(VendorProfile.Subcontracts);
        }

        foreach (var (location, flag) in new[] { ("remote", VendorProfile.RemoteWork), ("vendor-premises", VendorProfile.VendorPremises), ("our-premises", VendorProfile.OurPremises) })
        {
            if (vendor.WorkLocations.Contains(location))
            {
                flags.Add(flag);
            }
        }

        // An unknown expiry is unknown, not current: only a certificate known to be in force counts (decision 020).
        if (vendor.Certifications.Any(certification => certification.ExpiresOn >= today))
        {
            flags.Add(VendorProfile.Certified);
        }

        return new VendorProfile(flags, vendor.DataCategories.ToHashSet(StringComparer.Ordinal), vendor.BusinessCategory, vendor.ApproximateRecords);
    }
}
