using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.ManagementLevels;
using FunctionsPortal.Responses;
using FunctionsPortal.Reviews;
using FunctionsPortal.Submissions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>What staff see of corrective actions: the list, the vendor's ledger, its management level and the reviewer's decision on it.</summary>
public sealed class StaffCorrectiveActionPagesTests(AzuriteFixture azurite) : IAsyncLifetime
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

    /// <summary>An accepted survey with GOV-03 × (planned for a date) and GOV-04 △ planned: one action, one plan.</summary>
    private async Task<InvitedVendor> AcceptedWithFindingsAsync()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        await Services.GetRequiredService<DraftStore>().UpdateAsync(invited.Assignment.Key, draft => draft with
        {
            Answers = new Dictionary<string, ItemAnswer>(draft.Answers)
            {
                ["GOV-03"] = new() { Status = StatusAnswers.NotDone, Reason = "担当者が退職したため", PlannedOn = new DateOnly(2031, 3, 31), Measure = "後任を任命する" },
                ["GOV-04"] = new() { Status = StatusAnswers.Partial, PlannedOn = new DateOnly(2031, 1, 31), Measure = "規程を全面改訂する" },
            },
        }, Token);
        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(Services, invited, Token)).Status);
        Assert.Equal(AcceptResult.Accepted, (await Services.GetRequiredService<ReviewDecisions>().AcceptAsync(invited.Assignment.Key, "reviewer@x", null, Token)).Result);
        return invited;
    }

    [Fact]
    public async Task TheListAndTheVendorPageShowTheActionsAndTheLedger()
    {
        var invited = await AcceptedWithFindingsAsync();
        var action = (await Services.GetRequiredService<CorrectiveActionStore>().ListForVendorAsync(invited.VendorId, Token)).Single(candidate => candidate.ItemId == "GOV-03");
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);

        var list = await PageAsync(reviewer, "/staff/actions");
        var vendorPage = await PageAsync(reviewer, $"/staff/vendors/{invited.VendorId}");

        Assert.Contains($"href=\"/staff/actions/{action.Id}\"", list, StringComparison.Ordinal);
        Assert.Contains("対応待ち", list, StringComparison.Ordinal);
        Assert.Contains("是正措置・リスク台帳", vendorPage, StringComparison.Ordinal);
        Assert.Contains("後任を任命する", vendorPage, StringComparison.Ordinal);
        Assert.Contains("規程を全面改訂する", vendorPage, StringComparison.Ordinal);
        Assert.Contains("2031", vendorPage, StringComparison.Ordinal);
        Assert.Contains("リスク管理強化レベル", vendorPage, StringComparison.Ordinal);
        Assert.Contains("通常", vendorPage, StringComparison.Ordinal);

        var planned = await PageAsync(reviewer, "/staff/actions?status=planned");
        Assert.Contains("GOV-04", planned, StringComparison.Ordinal);
        Assert.DoesNotContain($"/staff/actions/{action.Id}\"", planned, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReviewerSetsTheLevelWithAReasonAndRecordsAnIncident()
    {
        var invited = await AcceptedWithFindingsAsync();
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer, "reviewer@our-company.example.jp");
        var url = $"/staff/vendors/{invited.VendorId}";
        var page = await PageAsync(reviewer, url);

        var noReason = await (await PostPageFormAsync(reviewer, page, url + "/management-level", [("level", "I"), ("reason", " ")])).Content.ReadAsStringAsync(Token);
        Assert.Contains("判断の理由を記入してください", noReason, StringComparison.Ordinal);
        Assert.Equal(Levels.Normal, (await Services.GetRequiredService<ManagementTracker>().GetAsync(invited.VendorId, Token)).Level);

        var incident = await (await PostPageFormAsync(reviewer, noReason, url + "/occurrences", [("reference", "INC-2026-007"), ("note", "誤送信")])).Content.ReadAsStringAsync(Token);
        Assert.Contains("インシデントを記録しました", incident, StringComparison.Ordinal);
        Assert.Contains("INC-2026-007", incident, StringComparison.Ordinal);
        Assert.Equal(Levels.LevelII, (await Services.GetRequiredService<ManagementTracker>().GetAsync(invited.VendorId, Token)).Level);

        var decided = await (await PostPageFormAsync(reviewer, incident, url + "/management-level", [("level", "I"), ("reason", "重大な誤送信のため")])).Content.ReadAsStringAsync(Token);
        var state = await Services.GetRequiredService<ManagementTracker>().GetAsync(invited.VendorId, Token);
        Assert.Equal((Levels.LevelI, "重大な誤送信のため", "reviewer@our-company.example.jp"), (state.Level, state.Reason, state.DecidedBy));
        Assert.Contains("レベルⅠ", decided, StringComparison.Ordinal);
        Assert.Contains("最終確認", decided, StringComparison.Ordinal); // the closing check is scheduled
        Assert.Contains("interim-technical", decided, StringComparison.Ordinal);

        var trail = await Services.GetRequiredService<FunctionsPortal.Audit.AuditTrail>().ListAsync(invited.VendorId, 50, null, Token);
        Assert.Equal(2, trail.Records.Count(record => record.Action == FunctionsPortal.Audit.AuditActions.ManagementLevelChanged));

        using var anonymous = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("/staff/actions", Token)).StatusCode);
    }
}
