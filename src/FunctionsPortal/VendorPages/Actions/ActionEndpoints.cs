using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Evidence;
using FunctionsPortal.Hosting;
using FunctionsPortal.Responses;
using FunctionsPortal.Surveys;
using FunctionsPortal.VendorPages.Shell;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.VendorPages.Actions;

/// <summary>
/// The vendor's corrective actions through its link (GET /v/{token}/actions), one action with its remediation form
/// (GET/POST /v/{token}/actions/{id}, Post/Redirect/Get) and the vendor's own remediation documents. Only the session's
/// vendor's actions exist here: any other id is a 404. These pages keep opening after an accepted survey's link
/// expires, for as long as the vendor has open actions (see <see cref="OpensAfterExpiryAsync"/>).
/// </summary>
internal static class ActionEndpoints
{
    public const string StatementField = "statement";
    public const string FilesField = "files";

    public static RouteGroupBuilder MapActions(this RouteGroupBuilder pages, long uploadLimit)
    {
        pages.MapGet("/actions", ListAsync);
        pages.MapGet("/actions/{id}", ShowAsync);
        pages.MapPost("/actions/{id}", SubmitAsync).WithMetadata(new RequestSizeLimitAttribute(uploadLimit)).WithFormOptions(multipartBodyLengthLimit: uploadLimit);
        pages.MapGet("/actions/{id}/files/{fileId}", DownloadAsync);
        return pages;
    }

    /// <summary>An expired link still leads an accepted survey's vendor to its corrective actions while any is open.</summary>
    public static async Task<bool> OpensAfterExpiryAsync(Assignment assignment, CorrectiveActionStore actions, CancellationToken cancellationToken) =>
        assignment.Status == AssignmentStatus.Accepted && (await actions.ListForVendorAsync(assignment.VendorId, cancellationToken)).Any(action => action.IsOpen);

    internal static async Task<IResult> ListAsync(
        VendorSession session, VendorPageContext page, CorrectiveActionStore actions, SurveyPlanner planner, CancellationToken cancellationToken)
    {
        var mine = await actions.ListForVendorAsync(session.Vendor.Id, cancellationToken);
        return PageResults.Render(new ActionsView(page, session, mine.OrderBy(action => action.DueOn).ThenBy(action => action.ItemId, StringComparer.Ordinal).ToList(), planner.Today()));
    }

    internal static async Task<IResult> ShowAsync(string id, VendorSession session, VendorPageContext page, CorrectiveActionStore actions, CancellationToken cancellationToken) =>
        await MineAsync(id, session, actions, cancellationToken) is { } action
            ? PageResults.Render(new ActionView(page, session, action, Statement: null))
            : NotFound(page);

    internal static async Task<IResult> SubmitAsync(
        string id, IFormCollection form, HttpContext context, VendorSession session, CorrectiveActionStore actions, EvidenceStore evidence,
        RemediationSubmissions remediations, CancellationToken cancellationToken)
    {
        if (await MineAsync(id, session, actions, cancellationToken) is not { } action)
        {
            return NotFound(VendorPageContext.For(context, session.Token));
        }

        if (!ActionStatuses.AwaitsVendor(action.Status))
        {
            Flash.Write(context, [Notice.Error(null, "この対応は現在、是正報告を受け付けていません。", "This action is not taking a remediation report now.")]);
            return TypedResults.Redirect(session.Url($"/actions/{action.Id}"));
        }

        var statement = form[StatementField].LastOrDefault()?.Trim() ?? "";
        if (statement.Length > RemediationSubmissions.MaxStatementLength)
        {
            statement = statement[..RemediationSubmissions.MaxStatementLength];
        }

        var problems = new List<Notice>();
        var stored = new List<EvidenceFile>();
        long used = 0;
        foreach (var file in form.Files.Where(file => file.Name == FilesField && file.Length > 0))
        {
            await using var stream = file.OpenReadStream();
            var upload = await evidence.StoreAsync(action.AssignmentKey, $"ca-{action.Id}", file.FileName, stream, used, cancellationToken);
            if (upload.File is { } kept)
            {
                // Recorded against the checklist item; the blob stays in the action's own folder.
                stored.Add(kept with { ItemId = action.ItemId });
                used += kept.Size;
            }
            else
            {
                problems.Add(Notice.Error(FilesField, $"「{file.FileName}」: {upload.Refusal!.MessageJa}", $"'{file.FileName}': {upload.Refusal!.MessageEn}"));
            }
        }

        if (statement.Length == 0)
        {
            problems.Insert(0, Notice.Error(StatementField, "実施した是正の内容を記入してください。", "Describe what was done."));
        }

        if (stored.Count == 0 && problems.All(problem => problem.ItemId != FilesField))
        {
            problems.Add(Notice.Error(FilesField, "是正を裏付ける資料を添付してください。", "Attach a document that shows the fix."));
        }

        if (problems.Count > 0)
        {
            // Nothing is kept from a refused report: the statement comes back on the page, the files must be chosen again.
            foreach (var file in stored)
            {
                await evidence.DeleteAsync(file.BlobName, cancellationToken);
            }

            if (stored.Count > 0 && problems.All(problem => problem.ItemId != FilesField))
            {
                problems.Add(Notice.Error(FilesField, "お手数ですが、添付資料をもう一度選択してください。", "Please choose the documents again."));
            }

            var page = VendorPageContext.For(context, session.Token) with { Notices = problems };
            return PageResults.Render(new ActionView(page, session, action, statement), StatusCodes.Status400BadRequest);
        }

        var outcome = await remediations.SubmitAsync(session.Vendor.Id, action.Id, statement, stored, cancellationToken);
        switch (outcome.Result)
        {
            case RemediationSubmitResult.Submitted:
                Flash.Write(context, [Notice.Info(
                    "是正報告を受け付けました。内容は封印して保存しました。確認結果はこのページでお知らせします。",
                    "Thank you: your remediation report is sealed and stored. We will show the outcome of our review on this page.")]);
                break;
            default:
                foreach (var file in stored)
                {
                    await evidence.DeleteAsync(file.BlobName, cancellationToken);
                }

                Flash.Write(context, [Notice.Error(null, "この対応は現在、是正報告を受け付けていません。", "This action is not taking a remediation report now.")]);
                break;
        }

        return TypedResults.Redirect(session.Url($"/actions/{action.Id}"));
    }

    /// <summary>A document of one of the vendor's own remediation reports, always as a download.</summary>
    internal static async Task<IResult> DownloadAsync(
        string id, string fileId, VendorSession session, CorrectiveActionStore actions, EvidenceStore evidence, CancellationToken cancellationToken)
    {
        var file = (await MineAsync(id, session, actions, cancellationToken))?.Remediation?.Files.FirstOrDefault(candidate => candidate.Id == fileId);
        return file is null
            ? TypedResults.NotFound()
            : TypedResults.File(await evidence.OpenReadAsync(file.BlobName, cancellationToken), file.ContentType, file.FileName);
    }

    /// <summary>The action with this id when it is the session's vendor's; null for any other (never says whose it is).</summary>
    private static async Task<CorrectiveAction?> MineAsync(string id, VendorSession session, CorrectiveActionStore actions, CancellationToken cancellationToken) =>
        id.StartsWith(session.Vendor.Id + ".", StringComparison.Ordinal) && await actions.FindAsync(id, cancellationToken) is { } action && action.VendorId == session.Vendor.Id
            ? action
            : null;

    private static IResult NotFound(VendorPageContext page) =>
        PageResults.Render(new MessageView(page, "対応が見つかりません", "No such action",
            "お探しの是正対応は見つかりませんでした。一覧からお選びください。", "We could not find that corrective action: please choose one from the list.",
            page.Token is { } token ? $"/v/{token}/actions" : null), StatusCodes.Status404NotFound);
}

public sealed record ActionsView(VendorPageContext Page, VendorSession Session, IReadOnlyList<CorrectiveAction> Actions, DateOnly Today) : IVendorPageView<ActionsPage>;

/// <summary>One action for the vendor; <c>Statement</c> is what the vendor typed when a refused report brings the form back.</summary>
public sealed record ActionView(VendorPageContext Page, VendorSession Session, CorrectiveAction Action, string? Statement) : IVendorPageView<ActionPage>;
