using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.Submissions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>Administrators change the registry from a vendor's page: profile (versions kept), tier override, prior approval; reviewers cannot.</summary>
public sealed class StaffVendorChangesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private VendorStore Store => _app.Services.GetRequiredService<VendorStore>();

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string NewId() => "vc" + Guid.NewGuid().ToString("N")[..10];

    private static (string Name, string Value)[] ProfileFields(string etag, string nameJa, string officerEmail = "officer@vendor.example.jp", string corporateNumber = "") =>
    [
        ("etag", etag), ("nameJa", nameJa), ("nameEn", "Renamed Co."), ("corporateNumber", corporateNumber), ("businessCategory", "bpo"), ("lifecycleStatus", "active"),
        ("officerName", "受任 花子"), ("officerTitle", "部長"), ("officerEmail", officerEmail), ("ownerName", "社内 一郎"), ("ownerEmail", "owner@our-company.example.jp"),
        ("approximateRecords", "12000"), ("notes", ""),
    ];

    private static string ETagOn(string html) => WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, @"name=""etag"" value=""([^""]+)""").Groups[1].Value);

    [Fact]
    public async Task AnAdministratorEditsTheProfileAndEveryEarlierVersionIsKept()
    {
        var id = NewId();
        await Store.AddAsync(id, SampleVendors.Domestic("株式会社旧名"), "import", Token);
        using var admin = _app.CreateStaffClient(StaffRoles.Admin, "admin@our-company.example.jp");
        var url = $"/staff/vendors/{id}";
        var page = await PageAsync(admin, url);
        var etag = ETagOn(page);
        var number = (await Store.FindAsync(id, Token))!.Vendor.CorporateNumber!;

        var saved = await (await PostPageFormAsync(admin, page, url + "/profile", ProfileFields(etag, "株式会社新名", corporateNumber: number))).Content.ReadAsStringAsync(Token);
        var stale = await (await PostPageFormAsync(admin, page, url + "/profile", ProfileFields(etag, "株式会社別名", corporateNumber: number))).Content.ReadAsStringAsync(Token);
        var invalid = await (await PostPageFormAsync(admin, saved, url + "/profile", ProfileFields(ETagOn(saved), "株式会社新名", officerEmail: "not-an-address", corporateNumber: number))).Content.ReadAsStringAsync(Token);
        var current = (await Store.FindAsync(id, Token))!;
        var versions = await _app.Services.GetRequiredService<VendorRegistry>().PreviousVersionsAsync(id, Token);

        Assert.Contains("基本情報を更新しました", saved, StringComparison.Ordinal);
        Assert.Contains("基本情報の変更履歴", saved, StringComparison.Ordinal);
        Assert.Contains("legalName", saved, StringComparison.Ordinal);
        Assert.Contains("他の担当者が変更しました", stale, StringComparison.Ordinal);
        Assert.Contains("入力内容に誤りがあります", invalid, StringComparison.Ordinal);
        Assert.Equal("株式会社新名", current.Vendor.LegalName.Ja);
        Assert.Equal(12000, current.Vendor.ApproximateRecords);
        Assert.Equal("admin@our-company.example.jp", current.UpdatedBy);
        var previous = Assert.Single(versions);
        Assert.Equal("株式会社旧名", previous.Vendor.LegalName.Ja);
        Assert.Equal("import", previous.UpdatedBy);
    }

    [Fact]
    public async Task TheTierOverrideNeedsAReasonAndCanBeCleared()
    {
        var id = NewId();
        await Store.AddAsync(id, SampleVendors.Domestic("株式会社区分"), "test", Token);
        using var admin = _app.CreateStaffClient(StaffRoles.Admin);
        var url = $"/staff/vendors/{id}";
        var page = await PageAsync(admin, url);

        var noReason = await (await PostPageFormAsync(admin, page, url + "/risk-override", [("etag", ETagOn(page)), ("tier", "high"), ("reason", "")])).Content.ReadAsStringAsync(Token);
        var overridden = await (await PostPageFormAsync(admin, noReason, url + "/risk-override", [("etag", ETagOn(noReason)), ("tier", "high"), ("reason", "過去に漏えい事故あり")])).Content.ReadAsStringAsync(Token);
        var overriddenRecord = (await Store.FindAsync(id, Token))!;
        var cleared = await (await PostPageFormAsync(admin, overridden, url + "/risk-override", [("etag", ETagOn(overridden)), ("tier", ""), ("reason", "")])).Content.ReadAsStringAsync(Token);

        Assert.Contains("区分を変更する理由を記入してください", noReason, StringComparison.Ordinal);
        Assert.Contains("過去に漏えい事故あり", overridden, StringComparison.Ordinal);
        Assert.Equal("high", overriddenRecord.RiskOverride!.Tier);
        Assert.Contains("計算どおりの区分に戻ります", cleared, StringComparison.Ordinal);
        Assert.Null((await Store.FindAsync(id, Token))!.RiskOverride);
    }

    [Fact]
    public async Task AnAdministratorDecidesAPriorApprovalFromTheContractingVendorsTree()
    {
        var parent = NewId();
        var child = NewId();
        var other = NewId();
        await Store.AddAsync(parent, SampleVendors.Domestic("株式会社元請"), "test", Token);
        await Store.AddAsync(child, SampleVendors.Domestic("株式会社再委託") with { ParentId = parent, Scope = "発送", PriorApproval = new PriorApproval("requested", null, null, null) }, "test", Token);
        await Store.AddAsync(other, SampleVendors.Domestic("株式会社再委託二") with { ParentId = parent, Scope = "保管", PriorApproval = new PriorApproval("requested", null, null, null) }, "test", Token);
        using var admin = _app.CreateStaffClient(StaffRoles.Admin, "admin@our-company.example.jp");
        var url = $"/staff/vendors/{parent}";
        var page = await PageAsync(admin, url);

        using var approved = await PostPageFormAsync(admin, page, $"/staff/vendors/{child}/prior-approval", [("status", "approved"), ("reason", "同等の契約を確認済み"), ("withoutDocument", "true"), ("back", url)]);
        var rejectWithoutReason = await (await PostPageFormAsync(admin, page, $"/staff/vendors/{other}/prior-approval", [("status", "rejected"), ("reason", ""), ("back", url)])).Content.ReadAsStringAsync(Token);
        using var elsewhere = await _app.CreateClient(new() { AllowAutoRedirect = false }).PostAsync($"/staff/vendors/{child}/prior-approval", null, Token);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(url, approved.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("再委託を承認しました", await approved.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        var decision = (await Store.FindAsync(child, Token))!.Vendor.PriorApproval!;
        Assert.Equal(("approved", "admin@our-company.example.jp"), (decision.Status, decision.By));
        Assert.Contains("承認しない理由を記入してください", rejectWithoutReason, StringComparison.Ordinal);
        Assert.Equal("requested", (await Store.FindAsync(other, Token))!.Vendor.PriorApproval!.Status);
        Assert.NotEqual(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task AReviewerSeesNoChangeFormsAndIsRefusedEveryChange()
    {
        var id = NewId();
        await Store.AddAsync(id, SampleVendors.Domestic("株式会社閲覧"), "test", Token);
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);
        var url = $"/staff/vendors/{id}";
        var page = await PageAsync(reviewer, url);

        // The page draws no form for a reviewer, so there is no antiforgery token to send: the role is refused first.
        using var profile = await PostPageFormAsync(reviewer, page, url + "/profile", ProfileFields("W/\"x\"", "株式会社乗っ取り"), withAntiforgery: false);
        using var risk = await PostPageFormAsync(reviewer, page, url + "/risk-override", [("etag", "x"), ("tier", "low"), ("reason", "r")], withAntiforgery: false);
        using var approval = await PostPageFormAsync(reviewer, page, url + "/prior-approval", [("status", "approved")], withAntiforgery: false);

        Assert.DoesNotContain("基本情報を編集する", page, StringComparison.Ordinal);
        Assert.DoesNotContain("区分を変更する", page, StringComparison.Ordinal);
        Assert.All([profile, risk, approval], response => Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode));
        Assert.Equal("株式会社閲覧", (await Store.FindAsync(id, Token))!.Vendor.LegalName.Ja);
    }

    [Fact]
    public async Task TheVendorPageListsRecentSurveysWithTheirMailsAndScoreChanges()
    {
        var invited = await SurveyScenario.InviteAsync(_app.Services, Token, cycle: FunctionsPortal.Surveys.SurveyCycles.Plan(new DateOnly(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1)));
        var submissions = _app.Services.GetRequiredService<SubmissionStore>();
        await submissions.RecordAsync(new SubmissionRecord($"old~{invited.VendorId}~annual", 1, invited.VendorId, "annual", new string('a', 64), "v1", "sig",
            new DateTimeOffset(2025, 6, 1, 1, 0, 0, TimeSpan.Zero), "受任 太郎", 3, "passed", 80m, "B"), null, Token);
        await submissions.RecordAsync(new SubmissionRecord($"new~{invited.VendorId}~annual", 1, invited.VendorId, "annual", new string('b', 64), "v1", "sig",
            new DateTimeOffset(2026, 6, 1, 1, 0, 0, TimeSpan.Zero), "受任 太郎", 3, "passed", 92.5m, "A"), null, Token);
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);

        var page = await PageAsync(reviewer, $"/staff/vendors/{invited.VendorId}");

        Assert.Contains($"/staff/assignments/{Uri.EscapeDataString(invited.Assignment.Key)}", page, StringComparison.Ordinal);
        Assert.Contains("有効（", page, StringComparison.Ordinal);
        Assert.Contains("&#x2B;12.5", page, StringComparison.Ordinal); // "+12.5", as Razor encodes it
    }

    [Fact]
    public async Task TheVendorPageListsTheDocumentsItsLatestSealNames()
    {
        var invited = await SurveyScenario.InviteAsync(_app.Services, Token);
        var draft = await SurveyScenario.CompleteDraftAsync(_app.Services, invited, Token);
        await SurveyScenario.SealAsync(_app.Services, invited, Token);
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);

        var page = await PageAsync(reviewer, $"/staff/vendors/{invited.VendorId}");

        Assert.NotEmpty(draft.Evidence);
        Assert.Contains("提出書類（直近の提出）", page, StringComparison.Ordinal);
        Assert.All(draft.Evidence, file =>
        {
            Assert.Contains(file.FileName, page, StringComparison.Ordinal);
            Assert.Contains($"/submissions/1/evidence/{file.Id}", page, StringComparison.Ordinal);
        });
    }
}
