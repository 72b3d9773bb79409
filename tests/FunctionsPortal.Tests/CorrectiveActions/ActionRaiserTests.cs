using System.Net;
using System.Net.Http.Json;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Responses;
using FunctionsPortal.Reviews;
using FunctionsPortal.Submissions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.CorrectiveActions;

/// <summary>
/// Findings become corrective actions once, when the submission is accepted (or, configured, sealed): the kind of
/// finding, severity, due date from severity, the internal owner and the vendor's request; a planned △ goes on the ledger.
/// </summary>
public sealed class ActionRaiserTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Reviewer = "reviewer@our-company.example.jp";

    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    private CorrectiveActionStore Actions => Services.GetRequiredService<CorrectiveActionStore>();

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static readonly DateOnly Planned = new(2031, 3, 31);

    /// <summary>A sealed submission with: GOV-03 × with a plan, GOV-04 △ planned, TRN-01 △ without a date, HDL-05 × asking us to accept the risk, TRN-07 (critical) ×.</summary>
    private static async Task<InvitedVendor> SealedWithFindingsAsync(PortalApplication app)
    {
        var services = app.Services;
        var invited = await SurveyScenario.InviteAsync(services, Token);
        await SurveyScenario.CompleteDraftAsync(services, invited, Token);
        await services.GetRequiredService<DraftStore>().UpdateAsync(invited.Assignment.Key, draft => draft with
        {
            Answers = new Dictionary<string, ItemAnswer>(draft.Answers)
            {
                ["GOV-03"] = new() { Status = StatusAnswers.NotDone, Reason = "担当者が退職したため", PlannedOn = Planned, Measure = "後任を任命する" },
                ["GOV-04"] = new() { Status = StatusAnswers.Partial, PlannedOn = Planned, Measure = "規程を改訂する" },
                ["TRN-01"] = new() { Status = StatusAnswers.Partial },
                ["HDL-05"] = new() { Status = StatusAnswers.NotDone, Reason = "該当業務が少ないため", AcceptRisk = true },
                ["TRN-07"] = new() { Status = StatusAnswers.NotDone, Reason = "未整備", AcceptRisk = true },
            },
        }, Token);
        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(services, invited, Token)).Status);
        return invited;
    }

    [Fact]
    public async Task AcceptingRaisesOneActionPerFindingWithSeverityDueDateOwnerAndRequest()
    {
        var invited = await SealedWithFindingsAsync(_app);
        Assert.Empty(await Actions.ListForVendorAsync(invited.VendorId, Token));

        var outcome = await Services.GetRequiredService<ReviewDecisions>().AcceptAsync(invited.Assignment.Key, Reviewer, "受理理由：是正計画あり", Token);
        Assert.Equal(AcceptResult.Accepted, outcome.Result);

        var raised = (await Actions.ListForVendorAsync(invited.VendorId, Token)).ToDictionary(action => action.ItemId);
        Assert.Equal(["GOV-03", "GOV-04", "HDL-05", "TRN-01", "TRN-07"], raised.Keys.Order(StringComparer.Ordinal));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var critical = raised["TRN-07"];
        Assert.Equal((FindingKinds.CriticalFailed, "critical", ActionStatuses.Open, ActionTracks.Action), (critical.Finding, critical.Severity, critical.Status, critical.Track));
        Assert.Equal(today.AddDays(30), critical.DueOn);
        Assert.False(critical.Plan!.AcceptRiskRequested); // a failed critical item is never left to a risk acceptance
        Assert.Equal("社内 花子", critical.Owner.Name);
        Assert.Equal("6c3d3b40-1111-2222-3333-444455556666", critical.Owner.EntraObjectId);
        Assert.Contains(critical.DueOn.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture), critical.Request.Ja, StringComparison.Ordinal);
        Assert.Contains(critical.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), critical.Request.En, StringComparison.Ordinal);
        Assert.Equal("×", critical.Answer);

        Assert.Equal((FindingKinds.NotDone, "high", ActionStatuses.Open), (raised["GOV-03"].Finding, raised["GOV-03"].Severity, raised["GOV-03"].Status));
        Assert.Equal(today.AddDays(60), raised["GOV-03"].DueOn);
        Assert.Equal(new VendorPlan(Planned, "後任を任命する", "担当者が退職したため", false), raised["GOV-03"].Plan);
        // The checklist's advice to our staff reaches the vendor as a request to them, in both languages.
        Assert.Contains("情報管理受任者報告書を当社に提出するようお願いいたします。是正内容の説明と証跡を", raised["GOV-03"].Request.Ja, StringComparison.Ordinal);
        Assert.DoesNotContain("指導", raised["GOV-03"].Request.Ja, StringComparison.Ordinal);
        Assert.StartsWith("\"", raised["GOV-03"].Request.En, StringComparison.Ordinal);
        Assert.Contains(": Please appoint the responsible officer", raised["GOV-03"].Request.En, StringComparison.Ordinal);

        Assert.Equal((FindingKinds.PartialPlanned, ActionTracks.Plan, ActionStatuses.Planned), (raised["GOV-04"].Finding, raised["GOV-04"].Track, raised["GOV-04"].Status));
        Assert.Equal(Planned, raised["GOV-04"].DueOn);

        Assert.Equal((FindingKinds.PartialUnplanned, "high", ActionStatuses.Open, "training"), (raised["TRN-01"].Finding, raised["TRN-01"].Severity, raised["TRN-01"].Status, raised["TRN-01"].Remedy));
        Assert.Equal(today.AddDays(60), raised["TRN-01"].DueOn);

        Assert.Equal(ActionStatuses.RiskReview, raised["HDL-05"].Status);
        Assert.All(raised.Values, action => Assert.Equal(invited.Assignment.Key, action.AssignmentKey));
        Assert.All(raised.Values.Where(action => action.ItemId != "TRN-01"), action => Assert.Equal("improvement", action.Remedy));
    }

    [Fact]
    public async Task RaisingTheSameSubmissionAgainAddsNothing()
    {
        var invited = await SealedWithFindingsAsync(_app);
        await Services.GetRequiredService<ReviewDecisions>().AcceptAsync(invited.Assignment.Key, Reviewer, "理由", Token);
        var first = await Actions.ListForVendorAsync(invited.VendorId, Token);

        var envelope = (await Services.GetRequiredService<SubmissionSealer>().FindAsync(invited.Assignment.Key, 1, Token))!;
        var score = (await Services.GetRequiredService<SubmissionStore>().ReadScoreAsync(invited.Assignment.Key, 1, Token))!;
        var again = await Services.GetRequiredService<ActionRaiser>().RaiseAsync(envelope.Payload, score, Reviewer, Token);

        Assert.Empty(again);
        Assert.Equal(first.Select(action => (action.Id, action.CreatedAt)), (await Actions.ListForVendorAsync(invited.VendorId, Token)).Select(action => (action.Id, action.CreatedAt)));
    }

    [Fact]
    public async Task ConfiguredToRaiseOnSealingTheActionsComeWithTheSealAndOnlyOnce()
    {
        await using var app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["CorrectiveActions:RaiseOn"] = "sealed" });
        await app.Services.WhenStorageReadyAsync();
        var invited = await SealedWithFindingsAsync(app);
        var store = app.Services.GetRequiredService<CorrectiveActionStore>();
        var raised = await store.ListForVendorAsync(invited.VendorId, Token);
        Assert.Equal(5, raised.Count);

        // The same draft submitted again (a second tab) reaches the sealed version again: nothing new.
        Assert.Equal(SealStatus.AlreadySealed, (await SurveyScenario.SealAsync(app.Services, invited, Token)).Status);
        await app.Services.GetRequiredService<ReviewDecisions>().AcceptAsync(invited.Assignment.Key, Reviewer, "理由", Token);
        Assert.Equal(raised.Select(action => action.Id).Order(StringComparer.Ordinal), (await store.ListForVendorAsync(invited.VendorId, Token)).Select(action => action.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheApiListsByVendorAndStatusShowsOneActionAndTheLedger()
    {
        var invited = await SealedWithFindingsAsync(_app);
        await Services.GetRequiredService<ReviewDecisions>().AcceptAsync(invited.Assignment.Key, Reviewer, "理由", Token);
        using var staff = _app.CreateClient();
        staff.DefaultRequestHeaders.Add(StaffAuthenticationHandler.DevelopmentHeader, $"{Reviewer}; {StaffRoles.Reviewer}");

        var open = await staff.GetFromJsonAsync<List<CorrectiveAction>>($"/api/corrective-actions?vendorId={invited.VendorId}&status=open", Token);
        Assert.Equal(["GOV-03", "TRN-01", "TRN-07"], open!.Select(action => action.ItemId).Order(StringComparer.Ordinal));
        var one = await staff.GetFromJsonAsync<CorrectiveAction>($"/api/corrective-actions/{open![0].Id}", Token);
        Assert.Equal(open[0].Id, one!.Id);
        Assert.NotEmpty(one.History);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/api/corrective-actions/nobody.0000abcd", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.GetAsync("/api/corrective-actions?status=closed-ish", Token)).StatusCode);

        var ledger = await staff.GetFromJsonAsync<RiskLedger>($"/api/vendors/{invited.VendorId}/risk-ledger", Token);
        Assert.Equal(["GOV-03", "HDL-05", "TRN-01", "TRN-07"], ledger!.OpenRisks.Select(entry => entry.ItemId).Order(StringComparer.Ordinal));
        Assert.Equal(["GOV-03", "GOV-04"], ledger.Plans.Select(entry => entry.ItemId).Order(StringComparer.Ordinal));
        Assert.Empty(ledger.AcceptedRisks);

        using var anonymous = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/vendors/{invited.VendorId}/risk-ledger", Token)).StatusCode);
    }
}
