using FunctionsPortal.Vendors;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>Valid vendor records to start tests from; each call gives a fresh corporate number.</summary>
public static class SampleVendors
{
    private static int _sequence = Random.Shared.Next(0, 1_000_000);

    public static string NextCorporateNumber() =>
        CorporateNumber.Complete((700_000_000_000L + Interlocked.Increment(ref _sequence)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Vendor Domestic(string nameJa = "株式会社テスト委託先", string? parentId = null) => new()
    {
        ParentId = parentId,
        LegalName = new(nameJa, "Test Vendor K.K."),
        CorporateNumber = NextCorporateNumber(),
        BusinessCategory = "bpo",
        ResponsibleOfficer = new("受任 太郎", "取締役", "officer@vendor.example.jp"),
        InternalOwner = new("社内 花子", "owner@our-company.example.jp", "6c3d3b40-1111-2222-3333-444455556666"),
        DataCategories = ["personal"],
        ApproximateRecords = 500,
        Countries = new("JP", ["JP"], ["JP"]),
        Certifications = [new("privacymark", null, "10800000(01)", new DateOnly(2030, 1, 1))],
        WorkLocations = ["our-premises"],
        LifecycleStatus = "active",
        Scope = parentId is null ? null : "データ入力",
    };
}
