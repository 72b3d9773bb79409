using System.Net;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>An accepted survey's link outlives its expiry for the corrective actions only, and only while one is open.</summary>
public sealed class VendorActionLinkExpiryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, timeProvider: _clock);
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AnExpiredLinkLeadsToOpenActionsUntilTheLastIsClosed()
    {
        var (vendor, open, risk) = await ActionScenario.AcceptedWithFindingsAsync(Services, Token);
        _clock.Advance(TimeSpan.FromDays(60)); // due in 30 days plus 14 days' grace: the link has expired
        using var browser = NewBrowser(_app);

        using var landing = await browser.GetAsync(vendor.Url(), Token);
        using var section = await browser.GetAsync(vendor.Url("/s/technical"), Token);
        var actions = await PageAsync(browser, vendor.Url("/actions"));
        var form = await PageAsync(browser, vendor.Url($"/actions/{open.Id}"));
        using var reported = await PostPageFormAsync(browser, form, vendor.Url($"/actions/{open.Id}"), [("statement", "導入しました。")], [("files", "fix.pdf", SurveyScenario.Pdf("fix"))]);
        var reviews = Services.GetRequiredService<RemediationReviews>();
        await reviews.VerifyAsync(open.Id, "reviewer", Token);
        await reviews.AcceptRiskAsync(risk.Id, "影響が限定的", null, "reviewer", Token);
        using var afterAllClosed = await browser.GetAsync(vendor.Url("/actions"), Token);

        Assert.Equal(HttpStatusCode.Redirect, landing.StatusCode);
        Assert.Equal(vendor.Url("/actions"), landing.Headers.Location?.OriginalString);
        Assert.Equal(vendor.Url("/actions"), section.Headers.Location?.OriginalString); // the survey itself stays closed
        Assert.Contains(open.Id, actions, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, reported.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, afterAllClosed.StatusCode);
        Assert.Contains("有効期限が切れています", await afterAllClosed.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }
}
