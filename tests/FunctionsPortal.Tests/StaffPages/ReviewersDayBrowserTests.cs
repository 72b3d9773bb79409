using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using FunctionsPortal.Reviews;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>
/// A reviewer's day in Chromium, behind the host-like routing: sign in, the dashboard, a cycle chosen in the filter,
/// the waiting submission opened from "needs action", only what changed since last year, a note, changes requested,
/// the vendor resubmitting through its link, and the acceptance. Screenshots of the dashboard and the review page go
/// to TestResults/screenshots (the README's come from there).
/// </summary>
public sealed class ReviewersDayBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IAsyncLifetime
{
    private HostedPortal _portal = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _portal.Services;

    private static string ScreenshotPath(string name) => Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots", name);

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
    public async Task AReviewerWorksThroughASubmissionFromTheDashboardToAcceptance()
    {
        // Last year's survey, sealed and accepted; this year's, sealed with one answer changed.
        var lastYear = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, lastYear, Token);
        await SurveyScenario.SealAsync(Services, lastYear, Token);
        await Services.GetRequiredService<ReviewDecisions>().AcceptAsync(lastYear.Assignment.Key, "前任者", null, Token);
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(SurveyLinks.Japan).DateTime);
        var cycle = SurveyCycles.Plan(new DateOnly(today.Year, today.Month, 1)); // this month's tier-plan period: one of the dashboard's cycles
        var assignment = lastYear.Assignment with { Cycle = cycle, Status = AssignmentStatus.Invited, History = [], SubmittedVersion = null };
        await Services.GetRequiredService<AssignmentStore>().CreateManyAsync([assignment], Token);
        var thisYear = new InvitedVendor(await Services.GetRequiredService<SurveyLinks>().IssueAsync(assignment.Key, Token), assignment, lastYear.VendorId);
        await SurveyScenario.CompleteDraftAsync(Services, thisYear, Token);
        await Services.GetRequiredService<DraftStore>().UpdateAsync(assignment.Key, draft => draft with
        {
            Answers = new Dictionary<string, ItemAnswer>(draft.Answers) { ["GOV-03"] = new ItemAnswer { Status = StatusAnswers.Partial, Comment = "規程を改訂中です" } },
        }, Token);
        await SurveyScenario.SealAsync(Services, thisYear, Token);
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath("x"))!);

        await using var staff = await browser.NewContextAsync(viewport: new() { Width = 1280, Height = 900 });
        var page = await staff.NewPageAsync();

        // Sign in (the local stand-in for Easy Auth) and land on the dashboard.
        await page.GotoAsync(_portal.Url("/staff"));
        await page.GetByLabel("氏名またはメールアドレス").FillAsync("審査 一郎");
        await page.GetByRole(AriaRole.Button, new() { Name = "サインイン" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("ダッシュボード");

        // Filter to this cycle; the submission waits in "needs action".
        await page.Locator("#cycle").SelectOptionAsync(cycle);
        await page.Locator("form.filters button[type=submit]").ClickAsync();
        await page.WaitForURLAsync($"**/staff?cycle={cycle}*");
        var waiting = page.Locator($"a[href='{Url(assignment.Key)}']").First;
        await Assertions.Expect(waiting).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("staff-dashboard.png"), FullPage = true });
        await waiting.ClickAsync();

        // Only what changed (and what is not ○, and what is critical) shows; the rest on request.
        await Assertions.Expect(page.Locator("tr.changed")).ToHaveCountAsync(1);
        Assert.Contains("GOV-03", await page.Locator("tr.changed").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("規程を改訂中です", await page.Locator("tr.changed").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("✓ 検証済み", await page.Locator("p.verified").InnerTextAsync(), StringComparison.Ordinal);
        var shown = await page.Locator("table.review tbody tr").CountAsync();
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("staff-review.png"), FullPage = true });

        // A note for colleagues, then the request for changes.
        await page.Locator("#note").FillAsync("前年は○。改訂版の規程を確認したい。");
        await page.GetByRole(AriaRole.Button, new() { Name = "メモを残す" }).ClickAsync();
        await Assertions.Expect(page.Locator("ul.notes")).ToContainTextAsync("改訂版の規程を確認したい");
        await page.Locator("#message").FillAsync("GOV-03: 改訂後の規程（案）を添付してください。");
        await page.GetByRole(AriaRole.Button, new() { Name = "修正を依頼する" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=status], .notice").First).ToContainTextAsync("修正を依頼しました");

        // The vendor sees the request through its link, revises the answer and submits again.
        await using var vendor = await browser.NewContextAsync();
        var vendorPage = await vendor.NewPageAsync();
        await vendorPage.GotoAsync(_portal.Url(thisYear.Url()));
        Assert.Contains("改訂後の規程（案）を添付してください", await vendorPage.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("改訂版の規程を確認したい", await vendorPage.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        await vendorPage.GotoAsync(_portal.Url(thisYear.Url("/s/governance")));
        await vendorPage.Locator("input[name='a.GOV-03.status'][value='done']").CheckAsync();
        await vendorPage.GetByRole(AriaRole.Button, new() { Name = "下書き保存", Exact = true }).ClickAsync();
        await Assertions.Expect(vendorPage.Locator(".notice")).ToContainTextAsync("下書きを保存しました");
        await vendorPage.GotoAsync(_portal.Url(thisYear.Url("/review")));
        await vendorPage.Locator("input[name=attest]").CheckAsync();
        await vendorPage.GetByRole(AriaRole.Button, new() { Name = "誓約して提出する" }).ClickAsync();
        await Assertions.Expect(vendorPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("受領証");

        // Back on the review page: version 2, and the acceptance.
        await page.ReloadAsync();
        Assert.Contains("v2", await page.Locator("#sealed-title").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("table.review tbody tr").CountAsync() >= shown);
        await page.GetByRole(AriaRole.Button, new() { Name = "受理する" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=status], .notice").First).ToContainTextAsync("受理しました");

        var accepted = await Services.GetRequiredService<AssignmentStore>().FindAsync(assignment.Key, Token);
        Assert.Equal(AssignmentStatus.Accepted, accepted!.Status);
        Assert.Equal(2, accepted.SubmittedVersion);
        Assert.Equal("審査 一郎", accepted.History[^1].By);
        Assert.Single((await Services.GetRequiredService<ReviewRecords>().ReadAsync(assignment.Key, Token)).Notes);
        Assert.True((await Services.GetRequiredService<SubmissionVerifier>().VerifyStoredAsync(assignment.Key, 2, Token)).Valid);
    }

    private static string Url(string key) => $"/staff/assignments/{Uri.EscapeDataString(key)}";
}
