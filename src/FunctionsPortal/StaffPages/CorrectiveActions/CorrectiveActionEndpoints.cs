using System.Globalization;
using FunctionsPortal.Auth;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Evidence;
using FunctionsPortal.Hosting;
using FunctionsPortal.StaffPages.Shell;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.StaffPages.CorrectiveActions;

/// <summary>
/// One corrective action as staff work on it (GET /staff/actions/{id}): the finding, the request, the task, the history,
/// the vendor's plan and remediation with its documents and seal — and the decisions (verify, send back, accept or refuse
/// a residual risk) through <see cref="RemediationReviews"/>, the same as the API. Post/Redirect/Get with a one-shot message.
/// </summary>
internal static class CorrectiveActionEndpoints
{
    public static RouteGroupBuilder MapCorrectiveActionPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/actions/{id}", ShowAsync);
        pages.MapGet("/actions/{id}/files/{fileId}", DownloadAsync);
        pages.MapGet("/actions/{id}/remediations/{number:int}", DownloadSealAsync);
        pages.MapPost("/actions/{id}/verify", VerifyAsync);
        pages.MapPost("/actions/{id}/return", ReturnAsync);
        pages.MapPost("/actions/{id}/accept-risk", AcceptRiskAsync);
        pages.MapPost("/actions/{id}/refuse-risk", RefuseRiskAsync);
        return pages;
    }

    public static string Url(string id) => $"/staff/actions/{Uri.EscapeDataString(id)}";

    internal static async Task<IResult> ShowAsync(
        string id, StaffPageContext page, CorrectiveActionStore actions, RemediationSealer sealer, RemediationReviews reviews, CancellationToken cancellationToken)
    {
        if (await actions.FindAsync(id, cancellationToken) is not { } action)
        {
            return NotFound(page, id);
        }

        var verification = action.Remediation is { } remediation ? await sealer.VerifyAsync(action.Id, remediation.Number, cancellationToken) : null;
        return PageResults.Render(new CorrectiveActionView(page, action, verification, reviews.Today()));
    }

    internal static async Task<IResult> DownloadAsync(string id, string fileId, CorrectiveActionStore actions, EvidenceStore evidence, CancellationToken cancellationToken)
    {
        var file = (await actions.FindAsync(id, cancellationToken))?.Remediation?.Files.FirstOrDefault(candidate => candidate.Id == fileId);
        return file is null
            ? TypedResults.NotFound()
            : TypedResults.File(await evidence.OpenReadAsync(file.BlobName, cancellationToken), file.ContentType, file.FileName);
    }

    internal static async Task<IResult> DownloadSealAsync(string id, int number, CorrectiveActionStore actions, RemediationSealer sealer, CancellationToken cancellationToken)
    {
        var bytes = await actions.FindAsync(id, cancellationToken) is null ? null : await sealer.ReadAsync(id, number, cancellationToken);
        return bytes is null
            ? TypedResults.NotFound()
            : TypedResults.File(bytes, "application/json", $"remediation-{id}-r{number.ToString(CultureInfo.InvariantCulture)}.json");
    }

    /// <summary>The form carries nothing but its antiforgery token: binding it is what makes the token checked.</summary>
    internal static async Task<IResult> VerifyAsync(string id, IFormCollection form, HttpContext context, RemediationReviews reviews, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        return Done(id, context, await reviews.VerifyAsync(id, StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("是正を確認済みにし、タスクを完了にしました。", "Remediation verified; its task is completed."));
    }

    internal static async Task<IResult> ReturnAsync(string id, [AsParameters] ReturnRemediationForm form, HttpContext context, RemediationReviews reviews, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(form.Message))
        {
            return Redirect(id, context, Notice.Error("return-message", "差し戻しの理由（委託先へのメッセージ）を記入してください。", "Tell the vendor why it is sent back."));
        }

        return Done(id, context, await reviews.ReturnAsync(id, form.Message, StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("是正報告を差し戻しました。委託先のページにメッセージが表示されます。", "Remediation sent back; the vendor sees your message on its pages."));
    }

    internal static async Task<IResult> AcceptRiskAsync(string id, [AsParameters] AcceptRiskForm form, HttpContext context, RemediationReviews reviews, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(form.Reason))
        {
            return Redirect(id, context, Notice.Error("risk-reason", "リスクを受容する理由を記入してください。", "Say why the residual risk is acceptable."));
        }

        DateOnly? until = null;
        if (!string.IsNullOrWhiteSpace(form.Until))
        {
            if (!DateOnly.TryParseExact(form.Until, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || parsed <= reviews.Today())
            {
                return Redirect(id, context, Notice.Error("risk-until", "受容期限には明日以降の日付を指定してください。", "Accept the risk until a date after today."));
            }

            until = parsed;
        }

        return Done(id, context, await reviews.AcceptRiskAsync(id, form.Reason, until, StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("残存リスクを受容し、タスクを完了にしました。", "Residual risk accepted; its task is completed."));
    }

    internal static async Task<IResult> RefuseRiskAsync(string id, [AsParameters] RefuseRiskForm form, HttpContext context, RemediationReviews reviews, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(form.Reason))
        {
            return Redirect(id, context, Notice.Error("refuse-reason", "受容できない理由（委託先へのメッセージ）を記入してください。", "Tell the vendor why the risk cannot be accepted."));
        }

        return Done(id, context, await reviews.RefuseRiskAsync(id, form.Reason, StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("リスク受容を不可とし、委託先に是正を依頼しました。", "Risk acceptance refused; the vendor is asked to remediate."));
    }

    private static IResult Done(string id, HttpContext context, RemediationDecision decision, Notice done) => decision.Result switch
    {
        DecisionResult.Done or DecisionResult.AlreadyDone => Redirect(id, context, done),
        DecisionResult.WrongStatus => Redirect(id, context, Notice.Error(null, "現在の状況ではこの操作はできません。", "Not possible in the action's current status.")),
        _ => TypedResults.NotFound(),
    };

    private static IResult Redirect(string id, HttpContext context, Notice notice)
    {
        Flash.Write(context, [notice]);
        return TypedResults.Redirect(Url(id) + "#decide");
    }

    private static IResult NotFound(StaffPageContext page, string id) =>
        PageResults.Render(new StaffMessageView(page, "是正対応が見つかりません", "No such corrective action", $"「{id}」という是正対応はありません。", $"There is no corrective action '{id}'."),
            StatusCodes.Status404NotFound);
}

public sealed record CorrectiveActionView(StaffPageContext Page, CorrectiveAction Action, RemediationVerification? Verification, DateOnly Today)
    : IStaffPageView<CorrectiveActionPage>;

public sealed record ReturnRemediationForm
{
    [FromForm]
    public string? Message { get; init; }
}

public sealed record AcceptRiskForm
{
    [FromForm]
    public string? Reason { get; init; }

    /// <summary>yyyy-MM-dd, as a date input sends it; blank for the configured default.</summary>
    [FromForm]
    public string? Until { get; init; }
}

public sealed record RefuseRiskForm
{
    [FromForm]
    public string? Reason { get; init; }
}
