using System.Globalization;
using FunctionsPortal.Incidents;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// An incident in Chromium behind the host-like routing: the vendor follows the landing page's link, fills in the
/// form in Japanese, sends it and reads the receipt with the seal hash; staff then find it listed with its countdown.
/// </summary>
public sealed class IncidentReportBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IAsyncLifetime
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
    public async Task AVendorReportsInJapaneseGetsTheReceiptAndStaffSeeItWithItsCountdown()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token, vendor: SampleVendors.Domestic("株式会社ブラウザ漏えい"));
        var yesterday = DateTimeOffset.UtcNow.ToOffset(SurveyLinks.Japan).AddDays(-1).ToString("yyyy-MM-dd'T'10:15", CultureInfo.InvariantCulture);

        await using (var vendorContext = await browser.NewContextAsync())
        {
            var page = await vendorContext.NewPageAsync();
            await page.GotoAsync(_portal.Url(invited.Url()));
            await page.GetByRole(AriaRole.Link, new() { Name = "事故・漏えい等の報告" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("事故・漏えい等の報告");

            await page.GetByLabel("何が起きたか（必須）").FillAsync("顧客リスト（氏名・住所）を添付したメールを、社外の誤った宛先に送信しました。");
            await page.GetByLabel("発覚日時（必須・日本時間）").FillAsync(yesterday);
            await page.Locator("#dataCategories").GetByLabel("個人データ").CheckAsync();
            await page.GetByLabel("本人の数（概数。不明な場合は空欄）").FillAsync("1500");
            await page.Locator("#sensitiveData").GetByLabel("いいえ").CheckAsync();
            await page.Locator("#financialHarm").GetByLabel("いいえ").CheckAsync();
            await page.Locator("#unlawfulPurpose").GetByLabel("わからない").CheckAsync();
            await page.GetByLabel("原因（わかっている範囲で）").FillAsync("送信前の宛先確認を省略したため");
            await page.GetByLabel("講じた措置（二次被害の防止を含む）").FillAsync("受信者に連絡し、削除を確認しました");
            await page.GetByLabel("報告者のお名前").FillAsync("報告 花子");
            await page.GetByRole(AriaRole.Button, new() { Name = "報告する" }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("事故・漏えい等の報告の受領");
            var incident = Assert.Single(await Services.GetRequiredService<IncidentStore>().ListForVendorAsync(invited.VendorId, Token));
            Assert.Equal(incident.Seal.Sha256, await page.Locator("#incident-sha256").InnerTextAsync());
            Assert.Equal(incident.Id, await page.Locator("#incident-id").InnerTextAsync());
            Assert.Contains("第26条第1項ただし書", await page.Locator("#incident-notice").InnerTextAsync(), StringComparison.Ordinal);
            Assert.True(incident.Report.UnlawfulPurpose);
        }

        await using var staffContext = await browser.NewContextAsync();
        var staff = await staffContext.NewPageAsync();
        await staff.GotoAsync(_portal.Url("/staff"));
        await staff.GetByLabel("氏名またはメールアドレス").FillAsync("審査 一郎");
        await staff.GetByRole(AriaRole.Button, new() { Name = "サインイン" }).ClickAsync();
        await Assertions.Expect(staff.Locator("#incidents-panel")).ToContainTextAsync("速報 目安 あと4日");
        await staff.GetByRole(AriaRole.Link, new() { Name = "事故・漏えい等", Exact = true }).ClickAsync();

        var row = staff.Locator("table.incidents tbody tr").Filter(new() { HasText = "株式会社ブラウザ漏えい" });
        await Assertions.Expect(row).ToContainTextAsync("速報 目安 あと4日");
        await Assertions.Expect(row).ToContainTextAsync("確報期限 あと");
        await Assertions.Expect(row).ToContainTextAsync("不正の目的");
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(staff.Locator("#incident-reportable")).ToContainTextAsync("報告対象です");
    }
}
