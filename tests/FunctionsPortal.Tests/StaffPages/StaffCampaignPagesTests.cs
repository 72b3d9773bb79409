using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>Campaigns from the staff pages: preview who it reaches (nothing created), then launch; only administrators.</summary>
public sealed class StaffCampaignPagesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await _app.Services.WhenStorageReadyAsync();
        await _app.Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
        var vendors = _app.Services.GetRequiredService<VendorStore>();
        await vendors.AddAsync("camp-a", SampleVendors.Domestic("株式会社キャンペーンA") with { LifecycleStatus = "active" }, "test", Token);
        await vendors.AddAsync("camp-b", SampleVendors.Domestic("株式会社キャンペーンB") with { LifecycleStatus = "active" }, "test", Token);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Staff(string role)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(StaffAuthenticationHandler.DevelopmentHeader, $"staff@our-company.example.jp; {role}");
        return client;
    }

    private static (string, string)[] Form(string name) =>
        [("name", name), ("kind", SurveyKinds.DueDiligence), ("checklist", "due-diligence@1"), ("dueOn", DateTime.UtcNow.AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task AnAdministratorPreviewsThenLaunchesAndLandsOnTheCampaignsDashboard()
    {
        using var admin = Staff(StaffRoles.Admin);
        var page = await PageAsync(admin, "/staff/campaigns");

        using var previewed = await PostPageFormAsync(admin, page, "/staff/campaigns/preview", Form("2026年度 事前確認"));
        var preview = await previewed.Content.ReadAsStringAsync(Token);
        var afterPreview = await _app.Services.GetRequiredService<CampaignStore>().ListAsync(activeOnly: false, Token);
        using var launched = await PostPageFormAsync(admin, preview, "/staff/campaigns", Form("2026年度 事前確認"));
        var campaign = Assert.Single(await _app.Services.GetRequiredService<CampaignStore>().ListAsync(activeOnly: false, Token));
        var dashboard = await PageAsync(admin, launched.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.OK, previewed.StatusCode);
        Assert.Contains("対象 2社", preview, StringComparison.Ordinal);
        Assert.Contains("株式会社キャンペーンA", preview, StringComparison.Ordinal);
        Assert.Empty(afterPreview);
        Assert.Equal(HttpStatusCode.Redirect, launched.StatusCode);
        Assert.Equal($"/staff?cycle={campaign.Id}", launched.Headers.Location!.OriginalString);
        Assert.Contains("「2026年度 事前確認」を開始しました: 2件を作成", dashboard, StringComparison.Ordinal);
        Assert.Contains("調査の状況（2件）", dashboard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIncompleteFormIsAnsweredWithWhatIsMissingAndNothingIsCreated()
    {
        using var admin = Staff(StaffRoles.Admin);
        var page = await PageAsync(admin, "/staff/campaigns");

        using var refused = await PostPageFormAsync(admin, page, "/staff/campaigns", [("name", " "), ("kind", "annual"), ("checklist", "nope@9"), ("dueOn", "2000-01-01")]);
        var html = await refused.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("キャンペーン名を入力してください", html, StringComparison.Ordinal);
        Assert.Contains("チェックシート nope v9 はありません", html, StringComparison.Ordinal);
        Assert.Contains("回答期限は明日以降の日付にしてください", html, StringComparison.Ordinal);
        Assert.Empty(await _app.Services.GetRequiredService<CampaignStore>().ListAsync(activeOnly: false, Token));
    }

    [Fact]
    public async Task AReviewerSeesCampaignsButCannotLaunchOne()
    {
        using var reviewer = Staff(StaffRoles.Reviewer);
        var page = await PageAsync(reviewer, "/staff/campaigns");
        // The reviewer's own valid antiforgery token (from a page that has a form), so only the role can refuse.
        var withToken = await PageAsync(reviewer, "/staff/dev-sign-in");

        using var refused = await PostPageFormAsync(reviewer, withToken, "/staff/campaigns", Form("勝手な開始"));

        Assert.DoesNotContain("キャンペーンを開始する", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Empty(await _app.Services.GetRequiredService<CampaignStore>().ListAsync(activeOnly: false, Token));
    }
}
