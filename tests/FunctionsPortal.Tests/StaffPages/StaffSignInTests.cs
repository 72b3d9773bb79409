using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>Who may open the staff pages, and how each kind of visitor is answered: a sign-in, a refusal page, or the page.</summary>
public sealed class StaffSignInTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Client(string? staff = null)
    {
        var client = NewBrowser(_app);
        if (staff is not null)
        {
            client.DefaultRequestHeaders.Add(StaffAuthenticationHandler.DevelopmentHeader, staff);
        }

        return client;
    }

    [Fact]
    public async Task AnAnonymousVisitorIsSentToTheSignInAndComesBackAfterwards()
    {
        using var browser = Client();

        using var dashboard = await browser.GetAsync("/staff?cycle=x", Token);
        var signIn = dashboard.Headers.Location!.OriginalString;
        var page = await PageAsync(browser, signIn);
        using var signedIn = await PostPageFormAsync(browser, page, "/staff/dev-sign-in",
            [("name", "審査 花子"), ("role", StaffRoles.Reviewer), ("returnUrl", "/staff?cycle=x")]);
        using var after = await browser.GetAsync("/staff?cycle=x", Token);
        var html = await after.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.Equal("/staff/dev-sign-in?returnUrl=%2Fstaff%3Fcycle%3Dx", signIn);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/staff?cycle=x", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("審査 花子", html, StringComparison.Ordinal);
        Assert.Contains("レビュー担当", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASignInNeverRedirectsOutsideTheStaffPages()
    {
        using var browser = Client();
        var page = await PageAsync(browser, "/staff/dev-sign-in");

        using var signedIn = await PostPageFormAsync(browser, page, "/staff/dev-sign-in",
            [("name", "someone"), ("role", StaffRoles.Admin), ("returnUrl", "https://evil.example/staff")]);

        Assert.Equal("/staff", signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignedInWithoutAStaffRoleGetsARefusalPageNotTheDashboard()
    {
        using var browser = Client("someone@elsewhere.example; Some.Other.Role");

        using var response = await browser.GetAsync("/staff", Token);
        var html = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("権限がありません", html, StringComparison.Ordinal);
        Assert.DoesNotContain("調査の状況", html, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task TheDashboardCountsTheCyclesSurveysByStatusAndListsWhatWaits()
    {
        var invited = await SurveyScenario.InviteAsync(_app.Services, Token);
        var submitted = await SurveyScenario.InviteAsync(_app.Services, Token, cycle: invited.Assignment.Cycle);
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<AssignmentStore>(_app.Services)
            .TransitionAsync(submitted.Assignment.Key, AssignmentStatus.Submitted, "vendor", "test", DateTimeOffset.UtcNow, Token);
        using var browser = Client($"reviewer@our-company.example.jp; {StaffRoles.Reviewer}");

        using var response = await browser.GetAsync($"/staff?cycle={Uri.EscapeDataString(invited.Assignment.Cycle)}", Token);
        var html = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("調査の状況（2件）", html, StringComparison.Ordinal);
        Assert.Matches(@"<th scope=""row"">依頼済み</th><td class=""num"">1</td>", html);
        Assert.Matches(@"<th scope=""row"">提出済み</th><td class=""num"">1</td>", html);
        Assert.Contains("提出物の確認待ち", html, StringComparison.Ordinal);
        Assert.Contains(submitted.VendorId, html, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDevelopmentThereIsNoDevelopmentSignInAndItsCookieSignsNobodyIn()
    {
        await using var production = _app.WithWebHostBuilder(builder => builder.UseEnvironment("Production").UseSetting("Secrets:VaultUri", "https://kv-test.vault.azure.net/"));
        using var browser = production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var cookie = $"{StaffAuthenticationHandler.DevelopmentCookie}={Uri.EscapeDataString($"me; {StaffRoles.Admin}")}";
        browser.DefaultRequestHeaders.Add("Cookie", cookie);
        using var development = Client();
        development.DefaultRequestHeaders.Add("Cookie", cookie);

        using var signIn = await browser.GetAsync("/staff/dev-sign-in", Token);
        using var dashboard = await browser.GetAsync("/staff", Token);
        using var control = await development.GetAsync("/staff", Token); // the same cookie does sign in where it may

        Assert.Equal(HttpStatusCode.OK, control.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, dashboard.StatusCode);
        Assert.Contains("サインインが必要です", await dashboard.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithEasyAuthOnAVisitorIsSentToEntraSignIn()
    {
        await using var azure = _app.WithWebHostBuilder(builder => builder.UseSetting("WEBSITE_AUTH_ENABLED", "True"));
        using var browser = azure.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await browser.GetAsync("/staff", Token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/.auth/login/aad?post_login_redirect_uri=%2Fstaff", response.Headers.Location!.OriginalString);
    }
}
