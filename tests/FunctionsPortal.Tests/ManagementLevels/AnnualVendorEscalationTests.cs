using FunctionsPortal.Checklists;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.ManagementLevels;
using FunctionsPortal.Responses;
using FunctionsPortal.Reviews;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.ManagementLevels;

/// <summary>
/// A vendor surveyed once a year, on a fake clock: the same item found again a year later is a repeat finding (Level II —
/// the old six-month comparison of consecutive surveys could never see it); its action then passes its due date, is
/// escalated to our owner once and is a second occurrence (Level I); the themed checks are sent as they fall due, and the
/// passing closing check records the effectiveness check and returns the vendor to normal.
/// </summary>
public sealed class AnnualVendorEscalationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Reviewer = "reviewer@our-company.example.jp";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 4, 1, 1, 0, 0, TimeSpan.Zero));
    private readonly ScriptedMailTransport _mail = new();
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, timeProvider: _clock, configureServices: services =>
        {
            services.RemoveAll<IMailTransport>();
            services.AddSingleton<IMailTransport>(_mail);
        });
        await Services.WhenStorageReadyAsync();
        await Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task RunAsync(string function) =>
        Assert.True((await Services.GetRequiredService<FunctionInvoker>().InvokeAsync(function, Guid.NewGuid().ToString(), InvocationPayload.Empty, "timer", Token)).Succeeded);

    private Task<VendorManagement> LevelAsync(string vendorId) => Services.GetRequiredService<ManagementTracker>().GetAsync(vendorId, Token);

    /// <summary>Answers the survey (○ everywhere but <paramref name="notDone"/>), seals it and accepts it.</summary>
    private async Task AnswerAndAcceptAsync(InvitedVendor invited, string? notDone)
    {
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        if (notDone is not null)
        {
            await Services.GetRequiredService<DraftStore>().UpdateAsync(invited.Assignment.Key, draft => draft with
            {
                Answers = new Dictionary<string, ItemAnswer>(draft.Answers)
                {
                    [notDone] = new() { Status = StatusAnswers.NotDone, Reason = "後任が未定", PlannedOn = new DateOnly(2029, 3, 31), Measure = "後任を任命する" },
                },
            }, Token);
        }

        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(Services, invited, Token)).Status);
        Assert.Equal(AcceptResult.Accepted, (await Services.GetRequiredService<ReviewDecisions>().AcceptAsync(invited.Assignment.Key, Reviewer, "受理", Token)).Result);
    }

    /// <summary>An existing survey of the vendor, opened with a fresh link (as the invitation mail would).</summary>
    private async Task<InvitedVendor> OpenAsync(Assignment assignment)
    {
        var store = Services.GetRequiredService<AssignmentStore>();
        if (assignment.Status == AssignmentStatus.Scheduled)
        {
            await store.TransitionAsync(assignment.Key, AssignmentStatus.Invited, "test", "invited", _clock.GetUtcNow(), Token);
        }

        var token = await Services.GetRequiredService<SurveyLinks>().IssueAsync(assignment.Key, Token);
        return new InvitedVendor(token, (await store.FindAsync(assignment.Key, Token))!, assignment.VendorId);
    }

    [Fact]
    public async Task ARepeatFindingAYearLaterThenAnOverdueActionLeadToLevelOneAndThePassingClosingCheckEndsIt()
    {
        // Year 1: GOV-03 not done. An action, but no occurrence yet (not critical, not a repeat).
        var first = await SurveyScenario.InviteAsync(Services, Token, cycle: "plan-2027-04");
        await AnswerAndAcceptAsync(first, "GOV-03");
        Assert.Equal(Levels.Normal, (await LevelAsync(first.VendorId)).Level);

        // Year 2: GOV-03 not done again — a repeat finding, twelve months after the first: Level II.
        _clock.Advance(TimeSpan.FromDays(366));
        var store = Services.GetRequiredService<AssignmentStore>();
        var secondAssignment = first.Assignment with
        {
            Cycle = "plan-2028-04", Status = AssignmentStatus.Invited, DueOn = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime).AddDays(30),
            CreatedAt = _clock.GetUtcNow(), History = [], SubmittedVersion = null, CurrentLinkHash = null,
        };
        await store.CreateManyAsync([secondAssignment], Token);
        await AnswerAndAcceptAsync(await OpenAsync(secondAssignment), "GOV-03");
        var levelTwo = await LevelAsync(first.VendorId);
        Assert.Equal(Levels.LevelII, levelTwo.Level);
        Assert.Equal(OccurrenceKinds.RepeatFinding, Assert.Single(levelTwo.Occurrences).Kind);

        // Its action (high: 60 days) passes its due date: escalated to our owner once, and a second occurrence → Level I.
        var action = (await Services.GetRequiredService<CorrectiveActionStore>().ListForVendorAsync(first.VendorId, Token)).Single(candidate => candidate.AssignmentKey == secondAssignment.Key);
        _clock.Advance(TimeSpan.FromDays(61));
        await RunAsync(FollowUpActionsJob.FunctionName);
        await RunAsync(FollowUpActionsJob.FunctionName);
        Assert.Equal(1, _mail.SentMails.Count(mail => mail.OutboxKey == $"{action.Id}/overdue-owner"));
        Assert.Equal(2, _mail.SentMails.Count(mail => mail.OutboxKey.EndsWith("/overdue-owner", StringComparison.Ordinal))); // last year's GOV-03 was never remediated either
        Assert.NotNull((await Services.GetRequiredService<CorrectiveActionStore>().FindAsync(action.Id, Token))!.EscalatedAt);
        var levelOne = await LevelAsync(first.VendorId);
        Assert.Equal(Levels.LevelI, levelOne.Level);
        Assert.Equal(3, levelOne.Occurrences.Count); // the repeat, and each survey's overdue action (the same day: one Level I start)
        Assert.Equal(3, levelOne.Checks.Count(check => check.AssignmentKey is null));

        // Nothing is sent before the first check is near; then the checks go out as they fall due.
        await RunAsync(SendManagedChecksJob.FunctionName);
        Assert.All((await LevelAsync(first.VendorId)).Checks, check => Assert.Null(check.AssignmentKey));
        _clock.Advance(TimeSpan.FromDays(20));
        await RunAsync(SendManagedChecksJob.FunctionName);
        await RunAsync(SendManagedChecksJob.FunctionName);
        var afterFirst = await LevelAsync(first.VendorId);
        var sent = Assert.Single(afterFirst.Checks, check => check.AssignmentKey is not null);
        var check1 = (await store.FindAsync(sent.AssignmentKey!, Token))!;
        Assert.Equal((SurveyKinds.Interim, "interim-technical", sent.DueOn), (check1.Kind, check1.ChecklistId, check1.DueOn));
        await AnswerAndAcceptAsync(await OpenAsync(check1), notDone: null);
        Assert.Equal(Levels.LevelI, (await LevelAsync(first.VendorId)).Level); // not the closing check

        // The daily run over the next months: each check goes out as it falls due and the vendor answers it (all ○).
        for (var day = 0; day < 120 && (await LevelAsync(first.VendorId)).Level == Levels.LevelI; day += 7)
        {
            _clock.Advance(TimeSpan.FromDays(7));
            await RunAsync(SendManagedChecksJob.FunctionName);
            foreach (var check in (await LevelAsync(first.VendorId)).Checks.Where(check => check.AssignmentKey is not null && check.Outcome is null))
            {
                await AnswerAndAcceptAsync(await OpenAsync((await store.FindAsync(check.AssignmentKey!, Token))!), notDone: null);
            }
        }

        var done = await LevelAsync(first.VendorId);
        Assert.Equal(Levels.Normal, done.Level);
        var effectiveness = Assert.Single(done.EffectivenessChecks);
        Assert.Equal(Levels.LevelI, effectiveness.Level);
        Assert.True(done.History.Select(change => change.To).SequenceEqual([Levels.LevelII, Levels.LevelI, Levels.Normal]), string.Join(" | ", done.History.Select(change => $"{change.To}: {change.Reason}")));
    }
}
