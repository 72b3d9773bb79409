using FunctionsPortal.Vendors;

namespace FunctionsPortal.DemoData;

/// <summary>
/// Fictional companies (check-digit-valid corporate numbers, example.jp/.com addresses) for a first look at the
/// portal: one of each risk tier, and a call centre with a subcontractor.
/// </summary>
internal static class DemoVendors
{
    private static readonly InternalOwner Owner = new("高橋 美咲", "takahashi@our-company.example.jp");

    public static IReadOnlyList<(string Id, Vendor Vendor)> All { get; } =
    [
        ("demo-sample-logistics", new Vendor
        {
            LegalName = new("株式会社サンプル物流", "Sample Logistics Co., Ltd."),
            CorporateNumber = CorporateNumber.Complete("010001900001"),
            BusinessCategory = "bpo",
            ResponsibleOfficer = new("山田 太郎", "情報セキュリティ部長", "yamada@sample-logistics.example.jp"),
            InternalOwner = Owner,
            DataCategories = ["personal"],
            ApproximateRecords = 8_000,
            Countries = new("JP", ["JP"], ["JP"]),
            Certifications = [new("privacymark", null, "10800001(01)", new DateOnly(2027, 9, 30))],
            WorkLocations = ["vendor-premises"],
            Contract = new(new DateOnly(2023, 4, 1), null),
            LifecycleStatus = "active",
        }),
        ("demo-test-callcenter", new Vendor
        {
            LegalName = new("株式会社テストコールセンター", "Test Call Center Inc."),
            CorporateNumber = CorporateNumber.Complete("020001900002"),
            BusinessCategory = "call-centre",
            ResponsibleOfficer = new("佐藤 花子", "コンプライアンス室長", "sato@test-callcenter.example.jp"),
            Contacts = [new("伊藤 健", "センター長", "ito@test-callcenter.example.jp", "03-0000-0000")],
            InternalOwner = Owner,
            DataCategories = ["personal", "credit-card"],
            ApproximateRecords = 250_000,
            Countries = new("JP", ["JP"], ["JP"]),
            Certifications = [new("iso27001", null, "IS 700000", new DateOnly(2027, 3, 31))],
            WorkLocations = ["vendor-premises", "remote"],
            Contract = new(new DateOnly(2021, 10, 1), new DateOnly(2027, 9, 30)),
            LifecycleStatus = "active",
        }),
        ("demo-demo-data-entry", new Vendor
        {
            ParentId = "demo-test-callcenter",
            LegalName = new("有限会社デモ入力サービス", "Demo Data Entry Services Ltd."),
            CorporateNumber = CorporateNumber.Complete("030002900003"),
            BusinessCategory = "bpo",
            ResponsibleOfficer = new("鈴木 一郎", "代表取締役", "suzuki@demo-entry.example.jp"),
            InternalOwner = Owner,
            DataCategories = ["personal"],
            ApproximateRecords = 20_000,
            Countries = new("JP", ["JP"], ["JP"]),
            WorkLocations = ["vendor-premises"],
            LifecycleStatus = "active",
            Scope = "申込書のデータ入力 / Data entry of application forms",
            PriorApproval = new("approved", "takahashi@our-company.example.jp", new DateTimeOffset(2024, 3, 15, 0, 0, 0, TimeSpan.FromHours(9)), null),
        }),
        ("demo-example-cloud", new Vendor
        {
            LegalName = new("Example Cloud Services Pte. Ltd.", "Example Cloud Services Pte. Ltd."),
            BusinessCategory = "cloud-service",
            ResponsibleOfficer = new("Tan Wei Ling", "Head of Compliance", "compliance@example-cloud.example.com"),
            InternalOwner = Owner,
            DataCategories = ["personal", "confidential-b"],
            ApproximateRecords = 40_000,
            Countries = new("SG", ["SG", "JP"], ["SG"]),
            Certifications = [new("ismap", null, "C24-0000-1", new DateOnly(2027, 6, 30)), new("iso27001", null, "IS 710000", null)],
            WorkLocations = ["remote"],
            LifecycleStatus = "onboarding",
        }),
    ];
}
