using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// The vendor's whole journey in headless Chromium against the portal on Kestrel: open the link, answer every
/// section, upload evidence, save, come back on another device, submit, download the receipt and verify it — and
/// the subcontractor's handling-method journey, the English toggle, and the pages without JavaScript.
/// </summary>
public sealed partial class VendorJourneyBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IAsyncLifetime
{
    private HostedPortal _portal = null!;
    private string _pdf = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _portal.Services;

    public async ValueTask InitializeAsync()
    {
        _portal = await HostedPortal.StartAsync(azurite, Token);
        _pdf = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(_pdf, SurveyScenario.Pdf("browser"), Token);
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

    private string Url(string path) => _portal.Url(path);

    [Fact]
    public async Task AVendorAnswersSavesResumesOnAnotherDeviceSubmitsAndGetsAReceiptThatVerifies()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await using (var phone = await browser.NewContextAsync())
        {
            var page = await phone.NewPageAsync();
            var landing = await page.GotoAsync(Url(invited.Url()));
            Assert.Equal(200, landing!.Status);
            Assert.Contains("個人情報保護法", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            await page.GetByRole(AriaRole.Link, new() { Name = "回答を始める" }).ClickAsync();

            await AnswerVisibleItemsAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "下書き保存", Exact = true }).ClickAsync();
            Assert.Contains("下書きを保存しました", await page.Locator(".notice").InnerTextAsync(), StringComparison.Ordinal);
        }

        await using var laptop = await browser.NewContextAsync();
        var tab = await laptop.NewPageAsync();
        await tab.GotoAsync(Url(invited.Url()));
        await tab.GetByRole(AriaRole.Link, new() { Name = "回答を続ける" }).ClickAsync();
        Assert.DoesNotContain("/s/governance", tab.Url, StringComparison.Ordinal); // carries on where questions are still open
        await tab.GetByRole(AriaRole.Link, new() { Name = "体制・規程" }).ClickAsync();
        Assert.True(await tab.Locator("input[name='a.GOV-03.status'][value='done']").IsCheckedAsync(), "The answer saved on the other device is shown.");

        // Through every section to the review, answering what is still open.
        while (true)
        {
            await AnswerVisibleItemsAsync(tab);
            var next = tab.GetByRole(AriaRole.Button, new() { Name = "保存して次へ" });
            if (await next.CountAsync() == 0)
            {
                await tab.GetByRole(AriaRole.Button, new() { Name = "保存して確認へ" }).ClickAsync();
                break;
            }

            await next.ClickAsync();
            var errors = tab.Locator("#error-summary");
            Assert.True(await errors.CountAsync() == 0, await errors.CountAsync() == 0 ? "" : await errors.InnerTextAsync());
        }

        var problems = tab.Locator("#problems");
        Assert.True(await problems.CountAsync() == 0, await problems.CountAsync() == 0 ? "" : await problems.InnerTextAsync());
        Assert.Equal("受任 太郎", await tab.Locator("#officer-name").InputValueAsync());
        await tab.Locator("input[name=attest]").CheckAsync();
        await tab.GetByRole(AriaRole.Button, new() { Name = "誓約して提出する" }).ClickAsync();

        await Assertions.Expect(tab.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("受領証");
        var shownHash = await tab.Locator("#receipt-sha256").InnerTextAsync();
        var download = await tab.RunAndWaitForDownloadAsync(() => tab.Locator("#download-receipt").ClickAsync());
        var receipt = await File.ReadAllBytesAsync((await download.PathAsync())!, Token);
        var report = await Services.GetRequiredService<SubmissionVerifier>().VerifyAsync(receipt, Token);

        Assert.True(report.Valid, string.Join("; ", report.Checks.Where(check => !check.Passed).Select(check => check.Detail)));
        Assert.Equal(shownHash, report.Sha256);
        Assert.Contains(report.Checks, check => check.Check == "evidence" && check.Passed);
        Assert.Matches(@"^receipt-.+-v1\.json$", download.SuggestedFilename);
    }

    [Fact]
    public async Task ConditionalQuestionsAndTheNaReasonFollowTheAnswersAsTheyChange()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url(invited.Url("/s/handling")));
        var ledgerCopy = page.Locator("fieldset#HDL-06");

        Assert.False(await ledgerCopy.IsVisibleAsync());
        await page.Locator("input[name='a.HDL-05.status'][value='done']").CheckAsync();
        Assert.True(await ledgerCopy.IsVisibleAsync());
        await page.Locator("input[name='a.HDL-05.status'][value='not-done']").CheckAsync();
        Assert.False(await ledgerCopy.IsVisibleAsync());

        await page.GotoAsync(Url(invited.Url("/s/technical")));
        var reason = page.Locator("[data-na-for='TEC-05']");
        Assert.False(await reason.IsVisibleAsync());
        await page.Locator("input[name='a.TEC-05.status'][value='na']").CheckAsync();
        Assert.True(await reason.IsVisibleAsync());
    }

    [Fact]
    public async Task EveryPageCanBeReadInEnglishAndSwitchedBack()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url(invited.Url("/s/governance")));

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        var main = await page.Locator("body").InnerTextAsync();
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.EndsWith(invited.Url("/s/governance"), page.Url, StringComparison.Ordinal);
        Assert.Contains("Save draft", main, StringComparison.Ordinal);
        Assert.Contains("○ Done", main, StringComparison.Ordinal);
        Assert.DoesNotContain("下書き保存", main, StringComparison.Ordinal);
        Assert.DoesNotContain("実施している", main, StringComparison.Ordinal);

        await page.GotoAsync(Url(invited.Url()));
        Assert.Contains("Act on the Protection of Personal Information", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "日本語" }).ClickAsync();
        Assert.Equal("ja", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Contains("回答期限", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutJavaScriptAnswersAndUploadsStillSaveAndConditionalQuestionsAppearAfterSaving()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await using var context = await browser.NewContextAsync(javaScript: false);
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url(invited.Url("/s/handling")));
        Assert.False(await page.Locator("fieldset#HDL-06").IsVisibleAsync());

        await page.Locator("input[name='a.HDL-05.status'][value='done']").CheckAsync();
        await page.Locator("input[name='f.HDL-05']").SetInputFilesAsync(_pdf);
        await page.GetByRole(AriaRole.Button, new() { Name = "下書き保存", Exact = true }).ClickAsync();

        Assert.True(await page.Locator("fieldset#HDL-06").IsVisibleAsync());
        Assert.Contains(Path.GetFileName(_pdf), await page.Locator("fieldset#HDL-05 .files").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASubcontractorDeclaredByTheVendorSendsItsHandlingMethodDocumentAndTheVendorSeesIt()
    {
        var vendor = await SurveyScenario.InviteAsync(Services, Token);
        await using var vendorContext = await browser.NewContextAsync();
        var vendorPage = await vendorContext.NewPageAsync();
        await vendorPage.GotoAsync(Url(vendor.Url()));
        await vendorPage.GetByRole(AriaRole.Link, new() { Name = "再委託先の確認・追加" }).ClickAsync();
        await vendorPage.Locator("#sub-name").FillAsync("株式会社ブラウザ再委託");
        await vendorPage.Locator("#sub-number").FillAsync(SampleVendors.NextCorporateNumber());
        await vendorPage.Locator("#sub-scope").FillAsync("発送作業");
        await vendorPage.Locator("#sub-contact").FillAsync("発送 花子");
        await vendorPage.Locator("#sub-email").FillAsync("hanako@sub.example.jp");
        await vendorPage.GetByRole(AriaRole.Button, new() { Name = "追加して承認を依頼する" }).ClickAsync();
        Assert.Contains("承認待ち", await vendorPage.Locator("table").InnerTextAsync(), StringComparison.Ordinal);

        // The planner sends the subcontractor its own link at declaration, so the approval can see its document.
        var declared = (await Services.GetRequiredService<VendorRegistry>().AllAsync(Token)).Single(view => view.Vendor.ParentId == vendor.VendorId);
        await Services.GetRequiredService<SurveyPlanner>().PlanAsync(Token);
        var document = Assert.Single(await Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(VendorId: declared.Id, Kind: SurveyKinds.HandlingMethod), Token));
        var token = await Services.GetRequiredService<SurveyLinks>().IssueAsync(document.Key, Token);
        await Services.GetRequiredService<AssignmentStore>().TransitionAsync(document.Key, AssignmentStatus.Invited, "mail", null, DateTimeOffset.UtcNow, Token);

        await using var subcontractorContext = await browser.NewContextAsync();
        var page = await subcontractorContext.NewPageAsync();
        await page.GotoAsync(Url($"/v/{token}"));
        Assert.Contains("株式会社テスト委託先", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "回答を始める" }).ClickAsync();
        await page.Locator("input[name='f.document']").SetInputFilesAsync(_pdf);
        await page.Locator("#decl-dataHandled").FillAsync("氏名、住所");
        await page.Locator("#decl-purposes").FillAsync("商品の発送");
        await page.Locator("#decl-storagePlace").FillAsync("倉庫内の施錠キャビネット");
        await page.Locator("#decl-storageCountry").FillAsync("JP");
        await page.Locator("#decl-securityMeasures").FillAsync("入退室管理、施錠保管");
        await page.Locator("#decl-furtherSubcontracting").FillAsync("なし");
        await page.Locator("#officer-title").FillAsync("代表取締役");
        await page.Locator("input[name=attest]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "誓約して提出する" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("受領証");
        var report = await Services.GetRequiredService<SubmissionVerifier>().VerifyStoredAsync(document.Key, 1, Token);
        Assert.True(report.Valid, string.Join("; ", report.Checks.Where(check => !check.Passed).Select(check => check.Detail)));
        await vendorPage.ReloadAsync();
        Assert.Contains("提出済み", await vendorPage.Locator("table").InnerTextAsync(), StringComparison.Ordinal);

        // With the document in, staff approve through the API, and the vendor sees it.
        using var staff = _portal.App.CreateStaffClient("Portal.Admin");
        using var approve = new HttpRequestMessage(HttpMethod.Put, $"/api/vendors/{declared.Id}/prior-approval") { Content = JsonContent.Create(new { status = "approved" }) };
        approve.Headers.TryAddWithoutValidation("If-Match", (await Services.GetRequiredService<VendorRegistry>().RecordAsync(declared.Id, Token))!.ETag);
        using var approved = await staff.SendAsync(approve, Token);
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync(Token));
        await vendorPage.ReloadAsync();
        Assert.Contains("承認済み", await vendorPage.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
    }

    /// <summary>Answers what is visible and unanswered the way a careful vendor would: ○ where possible, a document where asked.</summary>
    private async Task AnswerVisibleItemsAsync(IPage page)
    {
        // Twice: an answer can reveal a conditional item (HDL-05 → HDL-06), which the second pass answers.
        await AnswerPassAsync(page);
        await AnswerPassAsync(page);
    }

    private async Task AnswerPassAsync(IPage page)
    {
        foreach (var item in await page.Locator("fieldset.item:visible").AllAsync())
        {
            var id = await item.GetAttributeAsync("id");
            var done = item.Locator($"input[name='a.{id}.status'][value='done']");
            if (await done.CountAsync() > 0)
            {
                if (await item.Locator($"input[name='a.{id}.status']:checked").CountAsync() == 0)
                {
                    await done.CheckAsync();
                }
            }
            else if (await item.Locator($"input[name='a.{id}.choice']").CountAsync() > 0)
            {
                if (await item.Locator($"input[name='a.{id}.choice']:checked").CountAsync() == 0)
                {
                    await item.Locator($"input[name='a.{id}.choice']").First.CheckAsync();
                }
            }
            else if (await item.Locator("textarea[name$='.text']").CountAsync() > 0)
            {
                await item.Locator("textarea[name$='.text']").FillAsync("回答です");
            }
            else if (await item.Locator("input[name$='.number']").CountAsync() > 0)
            {
                await item.Locator("input[name$='.number']").FillAsync("3");
            }
            else if (await item.Locator("input[name$='.date']").CountAsync() > 0)
            {
                await item.Locator("input[name$='.date']").FillAsync("2026-04-01");
            }

            var upload = item.Locator("input[type=file]");
            if (await upload.CountAsync() > 0 && await item.Locator("ul.files li").CountAsync() == 0 && await upload.EvaluateAsync<int>("input => input.files.length") == 0
                && RequiresEvidence().IsMatch(await item.InnerTextAsync()))
            {
                await upload.SetInputFilesAsync(_pdf);
            }
        }

    }

    // The evidence label says when a document is required (for ○ and △, or always for a file item); "optional" otherwise.
    [GeneratedRegex("添付資料（[^）]*必須）")]
    private static partial Regex RequiresEvidence();
}
