using FunctionsPortal.Hosting;
using FunctionsPortal.Checklists;
using FunctionsPortal.Evidence;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;
using FunctionsPortal.VendorPages.Shell;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.VendorPages.Sections;

/// <summary>One section of the survey at a time (GET/POST /v/{token}/s/{sectionId}): answers, evidence, last cycle's answers taken over.</summary>
internal static class SectionEndpoints
{
    public static RouteGroupBuilder MapSections(this RouteGroupBuilder pages, long uploadLimit)
    {
        pages.MapGet("/s/{sectionId}", ShowAsync);
        pages.MapPost("/s/{sectionId}", SaveAsync).WithMetadata(new RequestSizeLimitAttribute(uploadLimit)).WithFormOptions(multipartBodyLengthLimit: uploadLimit);
        return pages;
    }

    internal static async Task<IResult> ShowAsync(
        string sectionId, VendorSession session, VendorPageContext page, SubmissionSealer sealer, IOptions<EvidenceOptions> evidenceOptions,
        CancellationToken cancellationToken)
    {
        if (!session.IsOpen || session.Checklist is null)
        {
            return TypedResults.Redirect(session.Url());
        }

        var sections = AskableSections(session);
        var index = sections.FindIndex(section => section.Section.Id == sectionId);
        if (index < 0)
        {
            return TypedResults.Redirect(session.Url());
        }

        var previous = await sealer.LastCycleAsync(session.Assignment, cancellationToken);
        return PageResults.Render(new SectionView(
            page, session, index, sections, previous?.Payload.Answers, previous?.Payload.Evidence ?? [], evidenceOptions.Value.MaxFileBytes));
    }

    internal static async Task<IResult> SaveAsync(
        string sectionId, IFormCollection form, HttpContext context, VendorSession session, DraftStore drafts, EvidenceUploads uploads, VendorProgress progress,
        SubmissionSealer sealer, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!session.IsOpen || session.Checklist is null)
        {
            Flash.Write(context, [Notice.Error(null, "提出済みのため、回答は変更できません。", "This survey has been submitted; the answers can no longer change.")]);
            return TypedResults.Redirect(session.Url());
        }

        var sections = AskableSections(session);
        var index = sections.FindIndex(section => section.Section.Id == sectionId);
        if (index < 0)
        {
            return TypedResults.Redirect(session.Url());
        }

        var pageItems = sections[index].Items;
        var parsed = AnswerForm.Parse(form, pageItems, session.Draft);
        var action = form[FormFields.Action].LastOrDefault();
        // Last cycle is read only when something takes it over: autosave posts on every pause in typing.
        var previous = parsed.StillTrue.Count > 0 || action == FormActions.CarryAll ? await sealer.LastCycleAsync(session.Assignment, cancellationToken) : null;
        var notices = parsed.Problems.ToList();
        var (added, refused) = await uploads.StoreAsync(session, form.Files, pageItems.Select(item => item.Id).ToHashSet(StringComparer.Ordinal), allowedTypes: null, cancellationToken);
        notices.AddRange(refused);
        var removed = EvidenceUploads.RemovedIn(form);
        var stillTrue = action == FormActions.CarryAll && previous is not null
            ? parsed.StillTrue.Union(pageItems.Where(item => previous.Payload.Answers.ContainsKey(item.Id)).Select(item => item.Id)).ToList()
            : parsed.StillTrue;

        var edit = new SectionEdit(parsed.Answers, stillTrue, added, removed, previous?.Payload, clock.GetUtcNow());
        var draft = await drafts.UpdateAsync(session, current => edit.ApplyTo(current, session.Checklist), cancellationToken);
        await uploads.DeleteRemovedAsync(session, removed, cancellationToken);
        await progress.AnsweringAsync(session, cancellationToken);

        if (FormFields.IsAutosave(context))
        {
            return TypedResults.Ok(new AutosaveResult(draft.Revision, draft.UpdatedAt, notices.Select(notice => notice.ItemId).OfType<string>().ToList()));
        }

        var target = action switch
        {
            FormActions.Next when index + 1 < sections.Count && notices.Count == 0 => session.Url($"/s/{sections[index + 1].Section.Id}"),
            FormActions.Previous when index > 0 && notices.Count == 0 => session.Url($"/s/{sections[index - 1].Section.Id}"),
            FormActions.Review when notices.Count == 0 => session.Url("/review"),
            _ => session.Url($"/s/{sectionId}"),
        };
        if (notices.Count == 0 && action == FormActions.CarryAll)
        {
            notices.Add(Notice.Info("前回の回答を引き継ぎました。内容をご確認ください。", "Your previous answers were taken over: please check them."));
        }
        else if (notices.Count == 0 && (action is FormActions.Save or null || removed.Count > 0 || added.Count > 0))
        {
            notices.Add(Notice.Info("下書きを保存しました。", "Draft saved."));
        }

        Flash.Write(context, notices);
        return TypedResults.Redirect(target);
    }

    /// <summary>Sections with the items that can apply to this vendor (conditional ones included, shown or hidden by answers).</summary>
    private static List<(ChecklistSection Section, IReadOnlyList<ChecklistItem> Items)> AskableSections(VendorSession session) =>
        session.Checklist!.Sections
            .Select(section => (section, (IReadOnlyList<ChecklistItem>)section.Items.Where(session.CanEverApply).ToList()))
            .Where(pair => pair.Item2.Count > 0)
            .ToList();
}

public sealed record SectionView(
    VendorPageContext Page,
    VendorSession Session,
    int Index,
    IReadOnlyList<(ChecklistSection Section, IReadOnlyList<ChecklistItem> Items)> Sections,
    IReadOnlyDictionary<string, SealedAnswer>? Previous,
    IReadOnlyList<SealedEvidence> PreviousEvidence,
    long MaxFileBytes) : IVendorPageView<SectionPage>;
