using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FunctionsPortal.Tests.CorrectiveActions;

/// <summary>
/// The remediation loop in Chromium, behind the host-like routing: a vendor whose accepted survey has a × finding opens
/// its link, finds the action, reports the remediation with a document; staff send it back with a message; the vendor
/// reads it and reports again; staff verify it. A screenshot of the vendor's action page goes to TestResults/screenshots.
/// </summary>
public sealed class RemediationJourneyBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IAsyncLifetime
{
    private HostedPortal _portal = null!;
    private string _pdf = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _portal.Services;

    private static string ScreenshotPath(string name) => Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots", name);

    public async ValueTask InitializeAsync()
    {
        _portal = await HostedPortal.StartAsync(azurite, Token);
        _pdf = Path.Combine(Path.GetTempPath(), $"remediation-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(_pdf, SurveyScenario.Pdf("usb-control"), Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _portal.AssertEverythingWasRouted();
        }
        finally
        {
            File.Delete(_pdf);
            await _portal.DisposeAsync();
        }
    }

    [Fact]
    public async Task AVendorReportsARemediationStaffSendItBackTheVendorReportsAgainAndStaffVerifyIt()
    {
        var (invited, open, _) = await ActionScenario.AcceptedWithFindingsAsync(Services, Token);
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath("x"))!);

        // The vendor opens its link: the accepted survey leads to the corrective actions.
        await using var vendorContext = await browser.NewContextAsync(viewport: new() { Width = 1100, Height = 900 });
        var vendor = await vendorContext.NewPageAsync();
        await vendor.GotoAsync(_portal.Url(invited.Url()));
        await vendor.GetByRole(AriaRole.Link, new() { Name = "是正対応を確認する" }).ClickAsync();
        await Assertions.Expect(vendor.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("是正対応のお願い");
        await vendor.Locator($"tr[id='action-{open.Id}']").GetByRole(AriaRole.Link, new() { Name = "是正報告を提出" }).ClickAsync();
        await Assertions.Expect(vendor.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(ActionScenario.PlannedItem);

        // The first report: a statement and a document.
        await vendor.GetByLabel("実施した是正の内容（必須）").FillAsync("USB制御ソフトを導入し、外部記録媒体の書込みを禁止しました。");
        await vendor.Locator("#files-input").SetInputFilesAsync(_pdf);
        await vendor.ScreenshotAsync(new() { Path = ScreenshotPath("vendor-corrective-action.png"), FullPage = true });
        await vendor.GetByRole(AriaRole.Button, new() { Name = "是正報告を提出する" }).ClickAsync();
        await Assertions.Expect(vendor.Locator(".notice").First).ToContainTextAsync("是正報告を受け付けました");
        await Assertions.Expect(vendor.Locator("#action-status")).ToHaveTextAsync("是正報告の確認待ち");

        // Staff sign in, open the action and send the report back with a message.
        await using var staffContext = await browser.NewContextAsync(viewport: new() { Width = 1280, Height = 900 });
        var staff = await staffContext.NewPageAsync();
        await staff.GotoAsync(_portal.Url("/staff"));
        await staff.GetByLabel("氏名またはメールアドレス").FillAsync("審査 一郎");
        await staff.GetByRole(AriaRole.Button, new() { Name = "サインイン" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("ダッシュボード");
        await staff.GotoAsync(_portal.Url($"/staff/actions/{open.Id}"));
        Assert.Contains("外部記録媒体の書込みを禁止しました", await staff.Locator("#remediation-statement").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("✓ 検証済み", await staff.Locator("p.verified").InnerTextAsync(), StringComparison.Ordinal);
        await staff.Locator("#return-message").FillAsync("全端末に導入したことが分かる一覧を添付してください。");
        await staff.GetByRole(AriaRole.Button, new() { Name = "差し戻す", Exact = true }).ClickAsync();
        await Assertions.Expect(staff.Locator(".notice, [role=status]").First).ToContainTextAsync("差し戻しました");

        // The vendor reads the message and reports again.
        await vendor.ReloadAsync();
        await Assertions.Expect(vendor.Locator("#returned-message")).ToHaveTextAsync("全端末に導入したことが分かる一覧を添付してください。");
        await vendor.GetByLabel("実施した是正の内容（必須）").FillAsync("全端末（42台）への導入一覧を添付します。");
        await vendor.Locator("#files-input").SetInputFilesAsync(_pdf);
        await vendor.GetByRole(AriaRole.Button, new() { Name = "是正報告を提出する" }).ClickAsync();
        await Assertions.Expect(vendor.Locator(".notice").First).ToContainTextAsync("是正報告を受け付けました");
        Assert.Contains("第2回", await vendor.Locator("#last-report-title").InnerTextAsync(), StringComparison.Ordinal);

        // Staff verify it.
        await staff.ReloadAsync();
        Assert.Contains("42台", await staff.Locator("#remediation-statement").InnerTextAsync(), StringComparison.Ordinal);
        await staff.GetByRole(AriaRole.Button, new() { Name = "是正を確認する（タスクを完了）" }).ClickAsync();
        await Assertions.Expect(staff.Locator("#action-status")).ToHaveTextAsync("是正確認済み");

        await vendor.ReloadAsync();
        await Assertions.Expect(vendor.Locator("#action-status")).ToHaveTextAsync("是正確認済み");
        var action = await Services.GetRequiredService<CorrectiveActionStore>().FindAsync(open.Id, Token);
        Assert.Equal(ActionStatuses.Verified, action!.Status);
        Assert.Equal((2, "審査 一郎"), (action.Remediation!.Number, action.Remediation.VerifiedBy));
        Assert.True((await Services.GetRequiredService<RemediationSealer>().VerifyAsync(open.Id, 2, Token)).Valid);
    }

    [Fact]
    public async Task TheLedgerFieldsFollowTheChoiceEvenWithoutJavaScript()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await using var context = await browser.NewContextAsync(javaScript: false);
        var page = await context.NewPageAsync();
        await page.GotoAsync(_portal.Url(invited.Url("/s/technical")));
        var ledger = page.Locator("[data-ledger-for='TEC-03']");
        var reason = page.Locator("textarea[name='a.TEC-03.reason']");
        var planned = page.Locator("input[name='a.TEC-03.planned']");

        Assert.False(await ledger.IsVisibleAsync());
        await page.Locator("input[name='a.TEC-03.status'][value='not-done']").CheckAsync();
        Assert.True(await reason.IsVisibleAsync());
        Assert.True(await planned.IsVisibleAsync());
        Assert.True(await page.Locator("input[name='a.TEC-03.accept']").IsVisibleAsync());
        await page.Locator("input[name='a.TEC-03.status'][value='partial']").CheckAsync();
        Assert.False(await reason.IsVisibleAsync());
        Assert.True(await planned.IsVisibleAsync());
        await page.Locator("input[name='a.TEC-03.status'][value='done']").CheckAsync();
        Assert.False(await ledger.IsVisibleAsync());
    }
}
