using System.Net;
using System.Net.Http.Json;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using FunctionsPortal.Reviews;
using FunctionsPortal.Scoring;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Reviews;

/// <summary>
/// A reviewer's decisions beyond accept and request changes: a reason to accept a failed critical item, a second
/// reviewer when configured, notes the vendor never sees, and reassessing an item without touching the sealed record.
/// </summary>
public sealed class ReviewDecisionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string First = "first@our-company.example.jp";
    private const string Second = "second@our-company.example.jp";

    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    private ReviewDecisions Decisions => Services.GetRequiredService<ReviewDecisions>();

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Reviews:RequireSecondReviewer"] = "true" });
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Seals a complete submission, with the critical item TRN-07 answered × when <paramref name="criticalFails"/>.</summary>
    private async Task<InvitedVendor> SealedAsync(bool criticalFails)
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        if (criticalFails)
        {
            await Services.GetRequiredService<DraftStore>().UpdateAsync(invited.Assignment.Key, draft => draft with
            {
                Answers = new Dictionary<string, ItemAnswer>(draft.Answers) { ["TRN-07"] = new ItemAnswer { Status = StatusAnswers.NotDone } },
            }, Token);
        }

        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(Services, invited, Token)).Status);
        return invited;
    }

    private HttpClient Staff(string name)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add(StaffAuthenticationHandler.DevelopmentHeader, $"{name}; {StaffRoles.Reviewer}");
        return client;
    }

    [Fact]
    public async Task WithoutAFailedCriticalItemOneReviewerAcceptsWithoutAReason()
    {
        var invited = await SealedAsync(criticalFails: false);

        var outcome = await Decisions.AcceptAsync(invited.Assignment.Key, First, null, Token);

        Assert.Equal(AcceptResult.Accepted, outcome.Result);
        Assert.Equal(AssignmentStatus.Accepted, outcome.Assignment!.Status);
    }

    [Fact]
    public async Task AFailedCriticalItemNeedsAReasonAndASecondDifferentReviewer()
    {
        var invited = await SealedAsync(criticalFails: true);
        var key = invited.Assignment.Key;

        var withoutReason = await Decisions.AcceptAsync(key, First, "  ", Token);
        var first = await Decisions.AcceptAsync(key, First, "研修は来月実施で確認済み", Token);
        var sameAgain = await Decisions.AcceptAsync(key, First, "もう一度", Token);
        var second = await Decisions.AcceptAsync(key, Second, "一次承認の理由を確認", Token);

        Assert.Equal(AcceptResult.ReasonRequired, withoutReason.Result);
        Assert.Equal(AcceptResult.AwaitingSecondReviewer, first.Result);
        Assert.Equal(AssignmentStatus.UnderReview, first.Assignment!.Status);
        Assert.Equal(AcceptResult.SameReviewer, sameAgain.Result);
        Assert.Equal(AcceptResult.Accepted, second.Result);
        var accepted = second.Assignment!;
        Assert.Equal(AssignmentStatus.Accepted, accepted.Status);
        var decision = accepted.History[^1];
        Assert.Equal(Second, decision.By);
        Assert.Contains(First, decision.Note, StringComparison.Ordinal);
        Assert.Contains("研修は来月実施で確認済み", decision.Note, StringComparison.Ordinal);
        Assert.Null(accepted.ChangesRequestedMessage); // the vendor's pages never show an acceptance's reasons
    }

    [Fact]
    public async Task WithoutTheSecondReviewerRuleAReasonIsEnough()
    {
        await using var app = new PortalApplication(azurite);
        await app.Services.WhenStorageReadyAsync();
        var invited = await SurveyScenario.InviteAsync(app.Services, Token);
        await SurveyScenario.CompleteDraftAsync(app.Services, invited, Token);
        await app.Services.GetRequiredService<DraftStore>().UpdateAsync(invited.Assignment.Key, draft => draft with
        {
            Answers = new Dictionary<string, ItemAnswer>(draft.Answers) { ["TRN-07"] = new ItemAnswer { Status = StatusAnswers.NotDone } },
        }, Token);
        await SurveyScenario.SealAsync(app.Services, invited, Token);
        var decisions = app.Services.GetRequiredService<ReviewDecisions>();

        var refused = await decisions.AcceptAsync(invited.Assignment.Key, First, null, Token);
        var accepted = await decisions.AcceptAsync(invited.Assignment.Key, First, "代替策を確認", Token);

        Assert.Equal(AcceptResult.ReasonRequired, refused.Result);
        Assert.Equal(AcceptResult.Accepted, accepted.Result);
        Assert.Contains("代替策を確認", accepted.Assignment!.History[^1].Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReassessmentChangesTheScoreShownButNeverTheSealedRecord()
    {
        var invited = await SealedAsync(criticalFails: true);
        var key = invited.Assignment.Key;
        var submissions = Services.GetRequiredService<SubmissionStore>();
        var sealedBefore = await Services.GetRequiredService<SubmissionSealer>().FindAsync(key, 1, Token);
        var sealedScore = (await submissions.ReadScoreAsync(key, 1, Token))!;
        var assignment = (await Services.GetRequiredService<AssignmentStore>().FindAsync(key, Token))!;

        var withoutReason = await Decisions.ReassessAsync(key, "TRN-07", 1m, " ", First, Token);
        var badPoints = await Decisions.ReassessAsync(key, "TRN-07", 0.3m, "理由", First, Token);
        var unknownItem = await Decisions.ReassessAsync(key, "NOPE-01", 1m, "理由", First, Token);
        var done = await Decisions.ReassessAsync(key, "TRN-07", 1m, "研修記録を面談で確認した", First, Token);
        var reassessed = (await Decisions.ScoreAsync(assignment, 1, Token))!;
        var acceptedWithoutReason = await Decisions.AcceptAsync(key, First, null, Token);
        var sealedAfter = await Services.GetRequiredService<SubmissionSealer>().FindAsync(key, 1, Token);

        Assert.Equal(ReassessOutcome.ReasonRequired, withoutReason);
        Assert.Equal(ReassessOutcome.InvalidPoints, badPoints);
        Assert.Equal(ReassessOutcome.NotScored, unknownItem);
        Assert.Equal(ReassessOutcome.Done, done);
        Assert.True(sealedScore.CriticalFailed);
        Assert.Equal(Verdicts.NeedsCorrection, sealedScore.Verdict);
        Assert.False(reassessed.CriticalFailed);
        Assert.True(reassessed.Percentage > sealedScore.Percentage);
        Assert.Equal(Verdicts.Passed, reassessed.Verdict);
        Assert.Equal(AcceptResult.Accepted, acceptedWithoutReason.Result); // the critical finding was reassessed, with its own reason
        Assert.Equal(sealedBefore!.Sha256, sealedAfter!.Sha256);
        Assert.Equal(sealedScore.Percentage, (await submissions.ReadScoreAsync(key, 1, Token))!.Percentage);
        Assert.Equal(ReassessOutcome.AlreadyDecided, await Decisions.ReassessAsync(key, "TRN-07", 0m, "後から", First, Token));
    }

    [Fact]
    public async Task TheApiTakesNotesReassessmentsAndAnswersTheSecondReviewerRule()
    {
        var invited = await SealedAsync(criticalFails: true);
        var key = Uri.EscapeDataString(invited.Assignment.Key);
        using var first = Staff(First);
        using var second = Staff(Second);
        using var anonymous = _app.CreateClient();

        using var note = await first.PostAsJsonAsync($"/api/assignments/{key}/notes", new { text = "電話で研修計画を確認予定" }, Token);
        using var emptyNote = await first.PostAsJsonAsync($"/api/assignments/{key}/notes", new { text = "" }, Token);
        using var noReason = await first.PutAsJsonAsync($"/api/assignments/{key}/reassessments/GOV-03", new { points = 0.5 }, Token);
        using var reassessed = await first.PutAsJsonAsync($"/api/assignments/{key}/reassessments/GOV-03", new { points = 0.5, reason = "規程の改訂日が古い" }, Token);
        using var acceptNoReason = await first.PostAsync($"/api/assignments/{key}/accept", null, Token);
        using var firstApproval = await first.PostAsJsonAsync($"/api/assignments/{key}/accept", new { reason = "代替の教育を確認" }, Token);
        using var sameReviewer = await first.PostAsJsonAsync($"/api/assignments/{key}/accept", new { reason = "再度" }, Token);
        using var secondApproval = await second.PostAsJsonAsync($"/api/assignments/{key}/accept", new { reason = "確認" }, Token);
        var review = await first.GetFromJsonAsync<ReviewSummary>($"/api/assignments/{key}/review", Token);
        using var notSignedIn = await anonymous.GetAsync($"/api/assignments/{key}/review", Token);

        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, emptyNote.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, reassessed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, acceptNoReason.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, firstApproval.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, sameReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondApproval.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, notSignedIn.StatusCode);
        Assert.Equal(AssignmentStatus.Accepted, review!.Status);
        Assert.Equal("電話で研修計画を確認予定", Assert.Single(review.Notes).Text);
        Assert.Equal(0.5m, Assert.Single(review.Reassessments).Points);
        Assert.Equal(First, Assert.Single(review.Approvals).By);
        Assert.True(review.ReassessedScore!.Percentage < review.SealedScore!.Percentage);
    }

    [Fact]
    public async Task NotesNeverReachTheVendorsPages()
    {
        var invited = await SealedAsync(criticalFails: false);
        await Decisions.AddNoteAsync(invited.Assignment.Key, "社内限り: 取引縮小を検討中", First, Token);
        using var vendor = _app.CreateClient();

        var landing = await vendor.GetStringAsync(invited.Url("/"), Token);
        var answers = await vendor.GetStringAsync(invited.Url("/answers/1"), Token);

        Assert.DoesNotContain("取引縮小", landing, StringComparison.Ordinal);
        Assert.DoesNotContain("取引縮小", answers, StringComparison.Ordinal);
    }
}
