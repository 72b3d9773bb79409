using FunctionsPortal.Auth;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Playwright;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>The staff console in Chromium, behind the host-like routing: sign in, the dashboard, both languages, axe.</summary>
public sealed class StaffPagesBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IAsyncLifetime
{
    private HostedPortal _portal = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _portal = await HostedPortal.StartAsync(azurite, Token);

    public async ValueTask DisposeAsync()
    {
        try
        {
            _portal.AssertEverythingWasRouted();
        }
        finally
        {
            await _portal.DisposeAsync();
        }
    }

    [Fact]
    public async Task AReviewerSignsInAndSeesTheCycleOnTheDashboard()
    {
        var invited = await SurveyScenario.InviteAsync(_portal.Services, Token);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(_portal.Url($"/staff?cycle={Uri.EscapeDataString(invited.Assignment.Cycle)}"));
        await page.GetByLabel("氏名またはメールアドレス").FillAsync("審査 一郎");
        await page.GetByRole(AriaRole.Button, new() { Name = "サインイン" }).ClickAsync();
        await page.WaitForURLAsync("**/staff?cycle=*");

        Assert.Equal("ダッシュボード", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.Contains("審査 一郎", await page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("1", await page.Locator("table.figures tr", new() { HasText = "依頼済み" }).Locator("td").InnerTextAsync());
        Assert.True(await page.Locator("svg.chart").IsVisibleAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        Assert.Equal("Dashboard", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task TheStaffPagesHaveNoAccessibilityViolations(string language)
    {
        var invited = await SurveyScenario.InviteAsync(_portal.Services, Token);
        await SurveyScenario.CompleteDraftAsync(_portal.Services, invited, Token);
        await SurveyScenario.SealAsync(_portal.Services, invited, Token); // the review page with its table and decision forms
        await using var context = await browser.NewContextAsync(bypassContentSecurityPolicy: true);
        var page = await context.NewPageAsync();
        await page.GotoAsync(_portal.Url($"/staff/lang/{language}"));
        var problems = new List<string>();

        await page.GotoAsync(_portal.Url("/staff/dev-sign-in"));
        problems.AddRange((await Accessibility.ViolationsAsync(page)).Select(violation => $"sign-in: {violation}"));
        await context.AddCookiesAsync([new Cookie { Name = StaffAuthenticationHandler.DevelopmentCookie, Value = Uri.EscapeDataString($"staff; {StaffRoles.Admin}"), Url = _portal.PublicAddress.ToString() }]);
        await page.GotoAsync(_portal.Url($"/staff?cycle={Uri.EscapeDataString(invited.Assignment.Cycle)}"));
        problems.AddRange((await Accessibility.ViolationsAsync(page)).Select(violation => $"dashboard: {violation}"));
        var incident = (await IncidentScenario.ReportedByVendorAsync(_portal.Services, invited, Token)).Id;
        foreach (var path in new[] { "/staff/vendors", $"/staff/vendors/{invited.VendorId}", $"/staff/assignments/{Uri.EscapeDataString(invited.Assignment.Key)}", "/staff/campaigns",
            $"/staff/reports/vendors/{invited.VendorId}", $"/staff/reports/cycles/{Uri.EscapeDataString(invited.Assignment.Cycle)}",
            "/staff/incidents", $"/staff/incidents/{incident}", $"/staff/vendors/{invited.VendorId}/incidents/new" })
        {
            await page.GotoAsync(_portal.Url(path));
            problems.AddRange((await Accessibility.ViolationsAsync(page)).Select(violation => $"{path}: {violation}"));
        }

        await context.AddCookiesAsync([new Cookie { Name = StaffAuthenticationHandler.DevelopmentCookie, Value = Uri.EscapeDataString("staff; None"), Url = _portal.PublicAddress.ToString() }]);
        await page.GotoAsync(_portal.Url("/staff"));
        problems.AddRange((await Accessibility.ViolationsAsync(page)).Select(violation => $"refused: {violation}"));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
