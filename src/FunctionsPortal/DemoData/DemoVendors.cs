using FunctionsPortal.Vendors;

namespace FunctionsPortal.DemoData;

/// <summary>Fictional companies (valid-looking corporate numbers, example.com/.jp addresses) for a first look at the portal.</summary>
internal static class DemoVendors
{
    public static IReadOnlyList<Vendor> All { get; } =
    [
        new("demo-sample-logistics", "株式会社サンプル物流", "Sample Logistics Co., Ltd.", CorporateNumber.Complete("010001900001"),
            "bpo", "山田 太郎", "yamada@sample-logistics.example.jp", "JP", null, "active"),
        new("demo-test-callcenter", "株式会社テストコールセンター", "Test Call Center Inc.", CorporateNumber.Complete("020001900002"),
            "call-centre", "佐藤 花子", "sato@test-callcenter.example.jp", "JP", null, "active"),
        new("demo-demo-data-entry", "有限会社デモ入力サービス", "Demo Data Entry Services Ltd.", CorporateNumber.Complete("030002900003"),
            "bpo", "鈴木 一郎", "suzuki@demo-entry.example.jp", "JP", "demo-test-callcenter", "active"),
        new("demo-example-cloud", "Example Cloud Services Pte. Ltd.", "Example Cloud Services Pte. Ltd.", null,
            "cloud-service", "Tan Wei Ling", "compliance@example-cloud.example.com", "SG", null, "onboarding"),
    ];
}
