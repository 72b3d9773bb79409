using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Hosting;
using FunctionsPortal.Mail;
using FunctionsPortal.Reviews;
using FunctionsPortal.Scoring;
using FunctionsPortal.StaffPages.Shell;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.StaffPages.Assignments;

/// <summary>
/// One assignment as a reviewer works on it (GET /staff/assignments/{key}): the sealed submission beside the previous
/// one, a fresh verification, the history — and the decisions (POST …/accept, …/request-changes), Post/Redirect/Get.
/// </summary>
internal static class AssignmentEndpoints
{
    public static RouteGroupBuilder MapAssignments(this RouteGroupBuilder pages)
    {
        pages.MapGet("/assignments/{key}", ShowAsync);
        pages.MapPost("/assignments/{key}/accept", AcceptAsync);
        pages.MapPost("/assignments/{key}/request-changes", RequestChangesAsync);
        pages.MapPost("/assignments/{key}/notes", AddNoteAsync);
        pages.MapPost("/assignments/{key}/reassess", ReassessAsync);
        pages.MapAssignmentActions();
        return pages;
    }

    public static string Url(string key) => $"/staff/assignments/{Uri.EscapeDataString(key)}";

    internal static async Task<IResult> ShowAsync(
        string key, StaffPageContext page, AssignmentStore assignments, VendorRegistry registry, SubmissionStore submissions, SubmissionSealer sealer,
        SubmissionVerifier verifier, ChecklistLibrary checklists, ReviewRecords records, ReviewDecisions decisions, IOptions<ReviewOptions> reviewOptions, SurveyLinks links, MailOutbox outbox,
        CancellationToken cancellationToken,
        bool all = false, int? version = null)
    {
        if (await assignments.FindAsync(key, cancellationToken) is not { } assignment)
        {
            return PageResults.Render(new StaffMessageView(page, "調査が見つかりません", "No such survey", $"「{key}」という調査はありません。", $"There is no survey '{key}'."),
                StatusCodes.Status404NotFound);
        }

        var vendor = await registry.FindAsync(assignment.VendorId, cancellationToken);
        var versions = await submissions.ListAsync(key, cancellationToken);
        var review = await records.ReadAsync(key, cancellationToken);
        var shown = version ?? assignment.SubmittedVersion;
        SubmissionView? submission = null;
        if (shown is { } number && await sealer.FindAsync(key, number, cancellationToken) is { } envelope)
        {
            var last = await submissions.LatestForVendorAsync(assignment.VendorId, assignment.Kind, key, cancellationToken);
            var previous = last is null ? null : await sealer.FindAsync(last.AssignmentKey, last.Version, cancellationToken);
            var checklist = assignment.ChecklistId is { } id && assignment.ChecklistVersion is { } checklistVersion ? await checklists.ResolveAsync(id, checklistVersion, cancellationToken) : null;
            var score = await submissions.ReadScoreAsync(key, number, cancellationToken);
            var reassessments = review.ReassessmentsOf(number);
            var reassessed = score is null || checklist is null ? score : ReviewDecisions.Reassessed(checklist, score, reassessments);
            var rows = checklist is null ? [] : ReviewComparison.Compare(checklist, envelope.Payload, previous?.Payload, reassessed, reassessments);
            submission = new SubmissionView(envelope, previous, score, reassessed, rows, await verifier.VerifyStoredAsync(key, number, cancellationToken));
        }

        var mails = await outbox.ListAsync(key, cancellationToken);
        var linkExpiresAt = assignment.CurrentLinkHash is null ? (DateTimeOffset?)null : links.ExpiresAt(assignment);
        return PageResults.Render(new AssignmentView(page, assignment, vendor, versions, submission, review, reviewOptions.Value.RequireSecondReviewer, all)
        {
            Mails = mails,
            LinkExpiresAt = linkExpiresAt,
        });
    }

    internal static async Task<IResult> AcceptAsync(
        string key, [AsParameters] AcceptForm form, HttpContext context, ReviewDecisions decisions, CancellationToken cancellationToken)
    {
        var reason = (form.Reason ?? "").Trim();
        return await DecideAsync(key, context, async () =>
        {
            var outcome = await decisions.AcceptAsync(key, StaffRoles.NameOf(context.User), reason[..Math.Min(reason.Length, AcceptForm.MaxLength)], cancellationToken);
            return outcome.Result switch
            {
                AcceptResult.Accepted => Notice.Info("受理しました。", "Accepted."),
                AcceptResult.AwaitingSecondReviewer => Notice.Info("一次承認を記録しました。別の担当者の二次承認で受理になります。", "First approval recorded: a second, different reviewer's approval accepts it."),
                AcceptResult.ReasonRequired => Notice.Error("reason", "重要項目が不適合です。受理する理由を記入してください。", "A critical item failed: say why you accept it anyway."),
                AcceptResult.SameReviewer => Notice.Error(null, "一次承認者とは別の担当者が二次承認してください。", "A second, different reviewer must approve it."),
                _ => Notice.Error(null, "この調査はありません。", "There is no such survey."),
            };
        });
    }

    internal static async Task<IResult> RequestChangesAsync(
        string key, [AsParameters] ChangesForm form, HttpContext context, ReviewDecisions decisions, CancellationToken cancellationToken)
    {
        var message = (form.Message ?? "").Trim();
        if (message.Length == 0)
        {
            Flash.Write(context, [Notice.Error("message", "委託先に伝える修正内容を記入してください。", "Tell the vendor what to change.")]);
            return TypedResults.Redirect(Url(key) + "#decide");
        }

        return await DecideAsync(key, context, async () =>
            await decisions.RequestChangesAsync(key, message[..Math.Min(message.Length, ChangesForm.MaxLength)], StaffRoles.NameOf(context.User), cancellationToken) is null
                ? Notice.Error(null, "この調査はありません。", "There is no such survey.")
                : Notice.Info("修正を依頼しました。委託先に新しいリンクをメールで送ります。", "Changes requested: the vendor is mailed the message with a fresh link."));
    }

    internal static async Task<IResult> AddNoteAsync(string key, [AsParameters] NoteForm form, HttpContext context, ReviewDecisions decisions, CancellationToken cancellationToken)
    {
        var text = (form.Text ?? "").Trim();
        Flash.Write(context, [text.Length == 0
            ? Notice.Error("note", "メモを記入してください。", "Write the note.")
            : await decisions.AddNoteAsync(key, text[..Math.Min(text.Length, NoteRequest.MaxLength)], StaffRoles.NameOf(context.User), cancellationToken) is null
                ? Notice.Error(null, "この調査はありません。", "There is no such survey.")
                : Notice.Info("メモを残しました（委託先には表示されません）。", "Note added (the vendor never sees it).")]);
        return TypedResults.Redirect(Url(key) + "#notes");
    }

    internal static async Task<IResult> ReassessAsync(string key, [AsParameters] ReassessForm form, HttpContext context, ReviewDecisions decisions, CancellationToken cancellationToken)
    {
        decimal? points = form.Assessment switch
        {
            "done" => 1m,
            "partial" => 0.5m,
            "not-done" => 0m,
            _ => null,
        };
        var reason = (form.Reason ?? "").Trim();
        var outcome = await decisions.ReassessAsync(key, form.ItemId ?? "", points, reason[..Math.Min(reason.Length, AcceptForm.MaxLength)], StaffRoles.NameOf(context.User), cancellationToken);
        Flash.Write(context, [outcome switch
        {
            ReassessOutcome.Done => Notice.Info(points is null ? "再評価を取り消しました。" : "再評価を記録しました。提出内容は変わりません。", points is null ? "Reassessment cleared." : "Reassessment recorded; the sealed answers stay as they are."),
            ReassessOutcome.ReasonRequired => Notice.Error("reassess-reason", "再評価の理由を記入してください。", "Say why you reassess the item."),
            ReassessOutcome.NotScored or ReassessOutcome.InvalidPoints => Notice.Error("reassess-item", "採点された設問と評価を選んでください。", "Choose a scored item and an assessment."),
            ReassessOutcome.AlreadyDecided => Notice.Error(null, "判定済みの提出は再評価できません。", "A decided submission cannot be reassessed."),
            _ => Notice.Error(null, "この調査はありません。", "There is no such survey."),
        }]);
        return TypedResults.Redirect(Url(key) + "#reassess");
    }

    private static async Task<IResult> DecideAsync(string key, HttpContext context, Func<Task<Notice>> decide)
    {
        try
        {
            Flash.Write(context, [await decide()]);
        }
        catch (InvalidTransitionException)
        {
            Flash.Write(context, [Notice.Error(null, "現在の状態では判定できません（すでに判定済みか、未提出です）。", "This survey cannot be decided now (already decided, or not submitted).")]);
        }

        return TypedResults.Redirect(Url(key) + "#decide");
    }
}

public sealed record ChangesForm
{
    public const int MaxLength = 4000;

    [FromForm]
    public string? Message { get; init; }
}

public sealed record AcceptForm
{
    public const int MaxLength = 2000;

    [FromForm]
    public string? Reason { get; init; }
}

public sealed record NoteForm
{
    [FromForm]
    public string? Text { get; init; }
}

public sealed record ReassessForm
{
    [FromForm]
    public string? ItemId { get; init; }

    /// <summary>done, partial or not-done; anything else clears the reassessment.</summary>
    [FromForm]
    public string? Assessment { get; init; }

    [FromForm]
    public string? Reason { get; init; }
}

/// <summary>The sealed submission, its sealed score and the score with reviewers' reassessments (the same object when there are none).</summary>
public sealed record SubmissionView(
    SealedEnvelope Envelope, SealedEnvelope? Previous, ScoreResult? Score, ScoreResult? Reassessed, IReadOnlyList<ReviewSection> Sections, VerificationReport Verification)
{
    public bool WasReassessed => Reassessed is not null && !ReferenceEquals(Score, Reassessed);
}

public sealed record AssignmentView(
    StaffPageContext Page, Assignment Assignment, VendorView? Vendor, IReadOnlyList<SubmissionRecord> Versions, SubmissionView? Submission, ReviewState Review, bool SecondReviewerRequired, bool ShowAll)
    : IStaffPageView<AssignmentPage>
{
    /// <summary>Reassessments are made on the latest version before it is decided.</summary>
    public bool CanReassess => CanDecide && Submission!.Envelope.Payload.Version == Assignment.SubmittedVersion;

    public FirstApproval? PendingApproval => Assignment.SubmittedVersion is { } version ? Review.ApprovalOf(version) : null;

    public IReadOnlyList<MailRecord> Mails { get; init; } = [];

    /// <summary>When the link in force expires; null when none is (never issued, revoked, or cancelled).</summary>
    public DateTimeOffset? LinkExpiresAt { get; init; }

    public bool CanDecide => Submission is not null && Assignment.Status is AssignmentStatus.Submitted or AssignmentStatus.Resubmitted or AssignmentStatus.UnderReview;
}
