using FunctionsPortal.Responses;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// What makes the vendor pages pleasant rather than merely working, checked in Chromium: no WCAG A/AA violations
/// found by axe in either language, autosave, upload progress that ends on the saved page, and a phone-sized window.
/// </summary>
public sealed class VendorPagesQualityBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IAsyncLifetime
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

    private string Url(string path) => _portal.Url(path);

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task TheVendorPagesHaveNoAccessibilityViolations(string language)
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        await using var context = await browser.NewContextAsync(bypassContentSecurityPolicy: true);
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url(invited.Url($"/lang/{language}")));
        var problems = new List<string>();

        var incident = (await IncidentScenario.ReportedByVendorAsync(Services, invited, Token)).Id;
        foreach (var path in new[] { "", "/s/governance", "/s/handling", "/subcontractors", "/incidents/new", "/incidents", $"/incidents/{incident}", "/review" })
        {
            await page.GotoAsync(Url(invited.Url(path)));
            problems.AddRange((await Accessibility.ViolationsAsync(page)).Select(violation => $"{path}: {violation}"));
        }

        await page.Locator("input[name=attest]").CheckAsync();
        await page.Locator("button.primary").ClickAsync();
        await page.WaitForURLAsync("**/receipts/1");
        problems.AddRange((await Accessibility.ViolationsAsync(page)).Select(violation => $"receipt: {violation}"));
        await page.GotoAsync(Url("/v/AAAAAAAAAAAAAAAAAAAAAAAA"));
        problems.AddRange((await Accessibility.ViolationsAsync(page)).Select(violation => $"unknown link: {violation}"));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task TheAccessibilityCheckItselfCatchesAnUnlabelledField()
    {
        await using var context = await browser.NewContextAsync(bypassContentSecurityPolicy: true);
        var page = await context.NewPageAsync();
        await page.SetContentAsync("<!doctype html><html lang=\"ja\"><head><title>t</title></head><body><main><input type=\"text\"></main></body></html>");

        Assert.Contains(await Accessibility.ViolationsAsync(page), violation => violation.StartsWith("label", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASectionCanBeAnsweredAndSavedWithTheKeyboardAlone()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url(invited.Url("/s/governance")));

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("本文へ移動", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        await TabToAsync(page, "() => document.activeElement.name === 'a.GOV-03.status'");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "() => document.activeElement.textContent.trim() === '下書き保存'");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("下書きを保存しました");
        Assert.True(await page.Locator("input[name='a.GOV-03.status'][value='done']").IsCheckedAsync());
    }

    private static async Task TabToAsync(IPage page, string isThere)
    {
        for (var presses = 0; presses < 80; presses++)
        {
            if (await page.EvaluateAsync<bool>(isThere))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached the element ({isThere}).");
    }

    [Fact]
    public async Task WithJavaScriptTheDraftSavesItselfAfterTyping()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url(invited.Url("/s/governance")));

        await page.Locator("input[name='a.GOV-03.status'][value='partial']").CheckAsync();
        await page.Locator("#GOV-03 details.comment summary").ClickAsync();
        await page.Locator("textarea[name='a.GOV-03.comment']").FillAsync("自動保存のテスト");
        await Assertions.Expect(page.Locator(".autosave")).ToContainTextAsync("下書きを保存しました");

        var draft = await Services.GetRequiredService<DraftStore>().GetAsync(invited.Assignment.Key, Token);
        Assert.Equal(("partial", "自動保存のテスト"), (draft.Answers["GOV-03"].Status, draft.Answers["GOV-03"].Comment));
    }

    [Fact]
    public async Task ALargeUploadShowsProgressAndEndsOnTheSavedPage()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        var large = Path.Combine(Path.GetTempPath(), $"large-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(large, [.. SurveyScenario.Pdf("large"), .. new byte[3 * 1024 * 1024]], Token);
        try
        {
            await using var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(Url(invited.Url("/s/governance")));
            await page.Locator("input[name='a.GOV-03.status'][value='done']").CheckAsync();
            await page.Locator("input[name='f.GOV-03']").SetInputFilesAsync(large);

            await page.GetByRole(AriaRole.Button, new() { Name = "下書き保存", Exact = true }).ClickAsync();

            await Assertions.Expect(page.Locator("#GOV-03 ul.files")).ToContainTextAsync(Path.GetFileName(large));
            await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("下書きを保存しました");
            Assert.EndsWith(invited.Url("/s/governance"), page.Url, StringComparison.Ordinal);
            var file = Assert.Single((await Services.GetRequiredService<DraftStore>().GetAsync(invited.Assignment.Key, Token)).Evidence);
            Assert.Equal(new FileInfo(large).Length, file.Size);
            // The page that replaced the form is live: its script runs again (conditional items still react).
            await page.GotoAsync(Url(invited.Url("/s/handling")));
            await page.Locator("input[name='a.HDL-05.status'][value='done']").CheckAsync();
            Assert.True(await page.Locator("fieldset#HDL-06").IsVisibleAsync());
        }
        finally
        {
            File.Delete(large);
        }
    }

    [Fact]
    public async Task OnAPhoneThePagesFitTheScreenWithoutSidewaysScrolling()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        await using var context = await browser.NewContextAsync(viewport: new ViewportSize { Width = 360, Height = 740 });
        var page = await context.NewPageAsync();

        foreach (var path in new[] { "", "/s/governance", "/review", "/subcontractors" })
        {
            await page.GotoAsync(Url(invited.Url(path)));
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than a 360px screen.");
        }
    }
}
