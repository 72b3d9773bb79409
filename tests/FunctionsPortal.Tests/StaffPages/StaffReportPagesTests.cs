using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>The printable reports: one vendor's, and a cycle's for management, with the cycle's downloads.</summary>
public sealed class StaffReportPagesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Staff(string role)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(StaffAuthenticationHandler.DevelopmentHeader, $"reviewer@our-company.example.jp; {role}");
        return client;
    }

    /// <summary>Seals a complete draft, with GOV-03 answered △ when <paramref name="partial"/>.</summary>
    private async Task SealAsync(InvitedVendor invited, bool partial)
    {
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        if (partial)
        {
            await Services.GetRequiredService<DraftStore>().UpdateAsync(invited.Assignment.Key, draft => draft with
            {
                Answers = new Dictionary<string, ItemAnswer>(draft.Answers) { ["GOV-03"] = new ItemAnswer { Status = StatusAnswers.Partial } },
            }, Token);
        }

        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(Services, invited, Token)).Status);
    }

    /// <summary>The same vendor surveyed again in another cycle.</summary>
    private async Task<InvitedVendor> AgainAsync(InvitedVendor last, string cycle, DateOnly? dueOn = null)
    {
        var assignment = last.Assignment with { Cycle = cycle, Status = AssignmentStatus.Invited, History = [], SubmittedVersion = null, DueOn = dueOn ?? last.Assignment.DueOn };
        await Services.GetRequiredService<AssignmentStore>().CreateManyAsync([assignment], Token);
        return new InvitedVendor(await Services.GetRequiredService<SurveyLinks>().IssueAsync(assignment.Key, Token), assignment, last.VendorId);
    }

    [Fact]
    public async Task AVendorsReportShowsProfileTierLatestSectionsFindingsAndHistory()
    {
        var lastYear = await SurveyScenario.InviteAsync(Services, Token, vendor: SampleVendors.Domestic("株式会社報告書テスト"));
        await SealAsync(lastYear, partial: false);
        var thisYear = await AgainAsync(lastYear, "c-now-" + Guid.NewGuid().ToString("N")[..6]);
        await SealAsync(thisYear, partial: true);
        using var reviewer = Staff(StaffRoles.Reviewer);

        var report = await PageAsync(reviewer, $"/staff/reports/vendors/{lastYear.VendorId}");
        var vendorPage = await PageAsync(reviewer, $"/staff/vendors/{lastYear.VendorId}");
        using var english = await reviewer.GetAsync($"/staff/lang/en?back=/staff/reports/vendors/{lastYear.VendorId}", Token);
        var inEnglish = await PageAsync(reviewer, $"/staff/reports/vendors/{lastYear.VendorId}");
        using var missing = await reviewer.GetAsync("/staff/reports/vendors/no-such-vendor", Token);

        Assert.Contains("委託先報告書: 株式会社報告書テスト", report, StringComparison.Ordinal);
        Assert.Contains("リスク区分", report, StringComparison.Ordinal);
        Assert.Contains("分野別の達成率", report, StringComparison.Ordinal);
        Assert.Contains(">GOV-03</span>", report, StringComparison.Ordinal);
        Assert.Contains("△ 一部対応・対応予定", report, StringComparison.Ordinal);
        Assert.Contains("推奨対応", report, StringComparison.Ordinal);
        Assert.Contains(thisYear.Assignment.Cycle, report, StringComparison.Ordinal);
        Assert.Contains(lastYear.Assignment.Cycle, report, StringComparison.Ordinal); // the history of scores, both cycles
        Assert.Contains("100%", report, StringComparison.Ordinal);
        Assert.Contains($"href=\"/staff/reports/vendors/{lastYear.VendorId}\"", vendorPage, StringComparison.Ordinal);
        Assert.Contains("Vendor report:", inEnglish, StringComparison.Ordinal);
        Assert.Contains("Findings and recommended actions", inEnglish, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ACycleReportCountsGradesFindingsOverdueTheTrendAndListsTheExports()
    {
        var cycle = "c-board-" + Guid.NewGuid().ToString("N")[..6];
        var earlier = "c-before-" + Guid.NewGuid().ToString("N")[..6];
        var failing = await SurveyScenario.InviteAsync(Services, Token, vendor: SampleVendors.Domestic("株式会社指摘あり"), cycle: cycle);
        await SealAsync(failing, partial: true);
        var passing = await SurveyScenario.InviteAsync(Services, Token, vendor: SampleVendors.Domestic("株式会社満点"), cycle: cycle);
        await SealAsync(passing, partial: false);
        var late = await SurveyScenario.InviteAsync(Services, Token, vendor: SampleVendors.Domestic("株式会社遅延中"), cycle: earlier);
        await SealAsync(late, partial: false); // last cycle it answered, this cycle it is late
        await AgainAsync(late, cycle, dueOn: DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10));
        using var reviewer = Staff(StaffRoles.Reviewer);
        using var noRole = Staff("None");

        var report = await PageAsync(reviewer, $"/staff/reports/cycles/{cycle}?previous={earlier}");
        var withoutPrevious = await PageAsync(reviewer, $"/staff/reports/cycles/{cycle}");
        var dashboard = await PageAsync(reviewer, $"/staff?cycle={cycle}");
        using var refused = await noRole.GetAsync($"/staff/reports/cycles/{cycle}", Token);

        Assert.Contains($"調査サイクル報告: {cycle}", report, StringComparison.Ordinal);
        Assert.Matches("<th scope=\"row\">提出済み</th><td class=\"num\">2</td>", report);
        Assert.Matches("<th scope=\"row\">A</th><td class=\"num\">[12]</td><td class=\"num\">1</td>", report); // now (△ on one item may still be an A) and in the earlier cycle
        Assert.Matches("<dt>採点済み</dt><dd>2</dd>", report);
        Assert.Contains(">GOV-03</span>", report, StringComparison.Ordinal);
        Assert.Contains("株式会社遅延中", report, StringComparison.Ordinal);
        Assert.Contains("超過日数", report, StringComparison.Ordinal);
        Assert.Contains($"{earlier} → {cycle}", report, StringComparison.Ordinal);
        Assert.Contains("比較する前回のサイクルがありません", withoutPrevious, StringComparison.Ordinal);
        Assert.Contains("出力 / Exports", report, StringComparison.Ordinal);
        foreach (var dataset in new[] { "assignments", "scores", "findings", "answers" })
        {
            Assert.Contains($"/api/exports/{dataset}.xlsx?cycle={cycle}\"", report, StringComparison.Ordinal);
            Assert.Contains($"/api/exports/{dataset}.csv?cycle={cycle}&amp;encoding=shift_jis\"", report, StringComparison.Ordinal);
        }

        Assert.Contains("/api/exports/vendors.csv\"", report, StringComparison.Ordinal);
        Assert.Contains($"href=\"/staff/reports/cycles/{cycle}\"", dashboard, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }

    [Fact]
    public async Task APlanPeriodIsComparedWithTheSameMonthAYearEarlier()
    {
        var previous = FunctionsPortal.StaffPages.Reports.ReportEndpoints.PreviousPlanPeriod(SurveyCycles.Plan(new DateOnly(2026, 4, 1)));

        Assert.Equal("plan-2025-04", previous);
        Assert.Null(FunctionsPortal.StaffPages.Reports.ReportEndpoints.PreviousPlanPeriod("campaign-x"));
        using var reviewer = Staff(StaffRoles.Reviewer);
        var empty = await PageAsync(reviewer, "/staff/reports/cycles/plan-1999-04");
        Assert.Contains("このサイクルにはまだ調査がありません", empty, StringComparison.Ordinal);
        Assert.Contains("plan-1998-04", empty, StringComparison.Ordinal);
    }
}
