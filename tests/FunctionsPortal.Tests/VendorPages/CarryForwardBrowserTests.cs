using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>"今回も同じ" in headless Chromium: ticking it shows the previous ○/△/× at once, before anything is saved.</summary>
public sealed class CarryForwardBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IAsyncLifetime
{
    private HostedPortal _portal = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _portal.Services;

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
    public async Task TickingStillTrueFillsThePreviousAnswerInThePageAndTheLabelSaysPreviousAnswer()
    {
        var previous = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, previous, Token);
        await SurveyScenario.SealAsync(Services, previous, Token);
        var current = await InviteAgainAsync(previous);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(_portal.Url(current.Url("/s/governance")));
        var done = page.Locator("input[name='a.GOV-03.status'][value='done']");

        Assert.False(await done.IsCheckedAsync());
        await page.Locator("input[name='a.GOV-03.still']").CheckAsync();
        Assert.True(await done.IsCheckedAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        var english = await page.Locator("fieldset#GOV-04").InnerTextAsync();
        Assert.Contains("Previous answer", english, StringComparison.Ordinal);
        Assert.DoesNotContain("Last year", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }

    private async Task<InvitedVendor> InviteAgainAsync(InvitedVendor previous)
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var next = previous.Assignment with
        {
            Cycle = previous.Assignment.Cycle + "n", Status = AssignmentStatus.Invited, CurrentLinkHash = null, SubmittedVersion = null, History = [], CreatedAt = now,
        };
        await Services.GetRequiredService<AssignmentStore>().CreateManyAsync([next], Token);
        return new InvitedVendor(await Services.GetRequiredService<SurveyLinks>().IssueAsync(next.Key, Token), next, previous.VendorId);
    }
}
