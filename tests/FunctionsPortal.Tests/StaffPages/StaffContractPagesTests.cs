using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.Contracts;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>The vendor page's contract and certificate sections: recording a 覚書 with its signed file, missing clauses marked, the activation gate's message, a certificate's new expiry.</summary>
public sealed class StaffContractPagesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private VendorRegistry Registry => _app.Services.GetRequiredService<VendorRegistry>();

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<string> CreateAsync(Vendor vendor) => (await Registry.CreateAsync(vendor, "import", Token, "vp" + Guid.NewGuid().ToString("N")[..10])).Id;

    private static string ETagOn(string html) => WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, @"name=""etag"" value=""([^""]+)""").Groups[1].Value);

    private static (string, string)[] MemorandumFields(string etag) =>
        [("etag", etag), ("kind", ContractKinds.Memorandum), ("signedOn", "2026-03-20"), ("startOn", "2026-04-01"), ("securityMeasures", "true"), ("confidentiality", "true")];

    [Fact]
    public async Task AnAdministratorRecordsAMemorandumAndTheMissingClausesAreMarked()
    {
        var id = await CreateAsync(SampleVendors.Domestic("株式会社覚書先"));
        using var admin = _app.CreateStaffClient(StaffRoles.Admin, "admin@our-company.example.jp");
        var url = $"/staff/vendors/{id}";
        var before = await PageAsync(admin, url);

        var after = await (await PostPageFormAsync(admin, before, url + "/contracts", MemorandumFields(ETagOn(before)), [("file", "覚書_署名済み.pdf", SurveyScenario.Pdf("覚書"))])).Content.ReadAsStringAsync(Token);
        var document = Assert.Single(await _app.Services.GetRequiredService<ContractStore>().ListAsync(id, Token));
        using var download = await admin.GetAsync($"{url}/contracts/{document.Id}", Token);

        Assert.Contains("契約書類はまだ登録されていません", before, StringComparison.Ordinal);
        Assert.Contains("取引中ですが、次がそろっていません", before, StringComparison.Ordinal);
        Assert.Contains("覚書（個人データの取扱い）を登録しました", after, StringComparison.Ordinal);
        Assert.Contains("<li class=\"error\">✗ 監査（記載なし）</li>", after, StringComparison.Ordinal);
        Assert.Contains("<li>✓ 秘密保持</li>", after, StringComparison.Ordinal);
        Assert.Contains("覚書_署名済み.pdf", after, StringComparison.Ordinal);
        Assert.Contains("受理済みのデューデリジェンス調査", after, StringComparison.Ordinal);
        Assert.DoesNotContain("覚書（個人データの取扱い）の登録", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
    }

    [Fact]
    public async Task AReviewerSeesTheSectionWithoutTheFormAndCannotRecordAndAFormWithoutItsTokenRecordsNothing()
    {
        var id = await CreateAsync(SampleVendors.Domestic("株式会社閲覧のみ"));
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);
        using var admin = NewBrowser(_app);
        admin.DefaultRequestHeaders.Add("X-Development-Staff", $"admin@our-company.example.jp; {StaffRoles.Admin}");
        var url = $"/staff/vendors/{id}";
        var page = await PageAsync(reviewer, url);

        using var byReviewer = await PostPageFormAsync(reviewer, page, url + "/contracts", MemorandumFields(ETagOn(page)), [("file", "m.pdf", SurveyScenario.Pdf())]);
        var adminPage = await PageAsync(admin, url);
        using var withoutToken = await PostPageFormAsync(admin, adminPage, url + "/contracts", MemorandumFields(ETagOn(adminPage)), [("file", "m.pdf", SurveyScenario.Pdf())], withAntiforgery: false);

        Assert.Contains("契約・覚書", page, StringComparison.Ordinal);
        Assert.DoesNotContain("契約書類を登録する", page, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, byReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Empty(await _app.Services.GetRequiredService<ContractStore>().ListAsync(id, Token));
    }

    [Fact]
    public async Task MakingAVendorActiveFromItsProfileIsRefusedWithTheReason()
    {
        var id = await CreateAsync(SampleVendors.Domestic("株式会社取引開始前") with { LifecycleStatus = "onboarding" });
        using var admin = _app.CreateStaffClient(StaffRoles.Admin);
        var url = $"/staff/vendors/{id}";
        var page = await PageAsync(admin, url);
        var vendor = (await Registry.RecordAsync(id, Token))!.Vendor;

        var refused = await (await PostPageFormAsync(admin, page, url + "/profile",
        [
            ("etag", ETagOn(page)), ("nameJa", vendor.LegalName.Ja), ("nameEn", vendor.LegalName.En ?? ""), ("corporateNumber", vendor.CorporateNumber ?? ""), ("businessCategory", vendor.BusinessCategory),
            ("lifecycleStatus", "active"), ("officerName", vendor.ResponsibleOfficer.Name), ("officerTitle", vendor.ResponsibleOfficer.Title ?? ""), ("officerEmail", vendor.ResponsibleOfficer.Email),
            ("ownerName", vendor.InternalOwner.Name), ("ownerEmail", vendor.InternalOwner.Email), ("approximateRecords", "500"), ("notes", ""),
        ])).Content.ReadAsStringAsync(Token);

        Assert.Contains("取引中にするには次が必要です", page, StringComparison.Ordinal);
        Assert.Contains("取引中にできません", refused, StringComparison.Ordinal);
        Assert.Equal("onboarding", (await Registry.RecordAsync(id, Token))!.Vendor.LifecycleStatus);
    }

    [Fact]
    public async Task TheCertificateSectionShowsEachStateAndAnAdministratorRecordsTheRenewedExpiry()
    {
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).DateTime);
        var id = await CreateAsync(SampleVendors.Domestic("株式会社認証更新") with
        {
            Certifications = [new("privacymark", "プライバシーマーク", "10800000(01)", null), new("iso27001", "ISO/IEC 27001", "IS 9", today.AddDays(-3))],
        });
        using var admin = _app.CreateStaffClient(StaffRoles.Admin);
        var url = $"/staff/vendors/{id}";
        var page = await PageAsync(admin, url);

        var renewed = await (await PostPageFormAsync(admin, page, url + "/certificates", [("etag", ETagOn(page)), ("index", "0"), ("expiresOn", today.AddYears(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), ("number", "10800000(02)")])).Content.ReadAsStringAsync(Token);
        var record = (await Registry.RecordAsync(id, Token))!;

        Assert.Contains("有効期限不明", page, StringComparison.Ordinal);
        Assert.Contains("期限切れ（3日経過）", page, StringComparison.Ordinal);
        Assert.Contains("認証の有効期限を更新しました", renewed, StringComparison.Ordinal);
        Assert.Contains("certificate current", renewed, StringComparison.Ordinal);
        Assert.Equal(today.AddYears(2), record.Vendor.Certifications[0].ExpiresOn);
        Assert.Equal("10800000(02)", record.Vendor.Certifications[0].Number);
        Assert.Equal(today.AddDays(-3), record.Vendor.Certifications[1].ExpiresOn);
    }
}
