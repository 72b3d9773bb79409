using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Hosting;
using FunctionsPortal.Reviews;
using FunctionsPortal.Scoring;
using FunctionsPortal.StaffPages.Shell;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Mvc;

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
        return pages;
    }

    public static string Url(string key) => $"/staff/assignments/{Uri.EscapeDataString(key)}";

    internal static async Task<IResult> ShowAsync(
        string key, StaffPageContext page, AssignmentStore assignments, VendorRegistry registry, SubmissionStore submissions, SubmissionSealer sealer,
        SubmissionVerifier verifier, ChecklistLibrary checklists, CancellationToken cancellationToken, bool all = false, int? version = null)
    {
        if (await assignments.FindAsync(key, cancellationToken) is not { } assignment)
        {
            return PageResults.Render(new StaffMessageView(page, "調査が見つかりません", "No such survey", $"「{key}」という調査はありません。", $"There is no survey '{key}'."),
                StatusCodes.Status404NotFound);
        }

        var vendor = await registry.FindAsync(assignment.VendorId, cancellationToken);
        var versions = await submissions.ListAsync(key, cancellationToken);
        var shown = version ?? assignment.SubmittedVersion;
        SubmissionView? submission = null;
        if (shown is { } number && await sealer.FindAsync(key, number, cancellationToken) is { } envelope)
        {
            var last = await submissions.LatestForVendorAsync(assignment.VendorId, assignment.Kind, key, cancellationToken);
            var previous = last is null ? null : await sealer.FindAsync(last.AssignmentKey, last.Version, cancellationToken);
            var checklist = assignment.ChecklistId is { } id && assignment.ChecklistVersion is { } checklistVersion ? await checklists.ResolveAsync(id, checklistVersion, cancellationToken) : null;
            var score = await submissions.ReadScoreAsync(key, number, cancellationToken);
            var rows = checklist is null ? [] : ReviewComparison.Compare(checklist, envelope.Payload, previous?.Payload, score);
            submission = new SubmissionView(envelope, previous, score, rows, await verifier.VerifyStoredAsync(key, number, cancellationToken));
        }

        return PageResults.Render(new AssignmentView(page, assignment, vendor, versions, submission, all));
    }

    internal static Task<IResult> AcceptAsync(string key, HttpContext context, ReviewDecisions decisions, CancellationToken cancellationToken) =>
        DecideAsync(key, context, () => decisions.AcceptAsync(key, StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("受理しました。", "Accepted."));

    internal static async Task<IResult> RequestChangesAsync(
        string key, [FromForm] ChangesForm form, HttpContext context, ReviewDecisions decisions, CancellationToken cancellationToken)
    {
        var message = (form.Message ?? "").Trim();
        if (message.Length == 0)
        {
            Flash.Write(context, [Notice.Error("message", "委託先に伝える修正内容を記入してください。", "Tell the vendor what to change.")]);
            return TypedResults.Redirect(Url(key) + "#decide");
        }

        return await DecideAsync(key, context, () => decisions.RequestChangesAsync(key, message[..Math.Min(message.Length, ChangesForm.MaxLength)], StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("修正を依頼しました。委託先に新しいリンクをメールで送ります。", "Changes requested: the vendor is mailed the message with a fresh link."));
    }

    private static async Task<IResult> DecideAsync(string key, HttpContext context, Func<Task<Assignment?>> decide, Notice done)
    {
        try
        {
            Flash.Write(context, [await decide() is null ? Notice.Error(null, "この調査はありません。", "There is no such survey.") : done]);
        }
        catch (InvalidTransitionException)
        {
            Flash.Write(context, [Notice.Error(null, "現在の状態では判定できません（すでに判定済みか、未提出です）。", "This survey cannot be decided now (already decided, or not submitted).")]);
        }

        return TypedResults.Redirect(Url(key));
    }
}

public sealed record ChangesForm
{
    public const int MaxLength = 4000;

    public string? Message { get; init; }
}

public sealed record SubmissionView(SealedEnvelope Envelope, SealedEnvelope? Previous, ScoreResult? Score, IReadOnlyList<ReviewSection> Sections, VerificationReport Verification);

public sealed record AssignmentView(
    StaffPageContext Page, Assignment Assignment, VendorView? Vendor, IReadOnlyList<SubmissionRecord> Versions, SubmissionView? Submission, bool ShowAll)
    : IStaffPageView<AssignmentPage>
{
    public bool CanDecide => Submission is not null && Assignment.Status is AssignmentStatus.Submitted or AssignmentStatus.Resubmitted or AssignmentStatus.UnderReview;
}
