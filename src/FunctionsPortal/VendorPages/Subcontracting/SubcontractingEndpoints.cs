using FunctionsPortal.Hosting;
using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using FunctionsPortal.Subcontractors;
using FunctionsPortal.VendorPages.Review;
using FunctionsPortal.VendorPages.Sections;
using FunctionsPortal.VendorPages.Shell;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.VendorPages.Subcontracting;

/// <summary>
/// Subcontracting from both sides: a vendor lists and declares its subcontractors (/v/{token}/subcontractors); a
/// subcontractor sends its handling-method document (/v/{token}/document).
/// </summary>
internal static class SubcontractingEndpoints
{
    private static readonly IReadOnlySet<string> DocumentTypes = new HashSet<string>(
        ["application/pdf", "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"], StringComparer.Ordinal);

    private static readonly IReadOnlySet<string> DocumentItem = new HashSet<string>([DocumentPage.ItemId], StringComparer.Ordinal);

    public static RouteGroupBuilder MapSubcontracting(this RouteGroupBuilder pages, long uploadLimit)
    {
        pages.MapGet("/subcontractors", ShowSubcontractorsAsync);
        pages.MapPost("/subcontractors", DeclareAsync);
        pages.MapGet("/document", ShowDocument);
        pages.MapPost("/document", SaveDocumentAsync).WithMetadata(new RequestSizeLimitAttribute(uploadLimit)).WithFormOptions(multipartBodyLengthLimit: uploadLimit);
        return pages;
    }

    internal static async Task<IResult> ShowSubcontractorsAsync(VendorSession session, VendorPageContext page, SubcontractorDeclarations declarations, CancellationToken cancellationToken) =>
        PageResults.Render(new SubcontractorsView(page, session, await declarations.ListAsync(session.Vendor.Id, cancellationToken), Open: !session.IsHandlingMethod));

    internal static async Task<IResult> DeclareAsync(
        [AsParameters] SubcontractorForm form, HttpContext context, VendorSession session, SubcontractorDeclarations declarations, CancellationToken cancellationToken)
    {
        if (session.IsHandlingMethod)
        {
            return TypedResults.Redirect(session.Url());
        }

        var input = form.Input;
        var outcome = string.IsNullOrWhiteSpace(input.Scope)
            ? new DeclarationOutcome(new Dictionary<string, string[]> { ["scope"] = ["Describe the work subcontracted / 業務の範囲を記入してください。"] }, LimitReached: false)
            : await declarations.DeclareAsync(session.Vendor.Id, session.Key, input, cancellationToken);

        // Whether the corporate number was already registered is not told here: the same notice either way.
        Flash.Write(context, outcome switch
        {
            { Registered: true } => [Notice.Info($"{input.Name} を登録し、事前承認を依頼しました。", $"{input.Name} was added and our approval requested.")],
            { LimitReached: true } =>
            [
                Notice.Error(null, "このリンクから登録できる再委託先の数の上限に達しました。追加の再委託先は、お手数ですが担当者までご連絡ください。",
                    "You have reached the number of subcontractors that can be declared from this link. Please contact us to add more."),
            ],
            _ => outcome.Errors.Select(error => Notice.Error(null, $"{FieldLabel(error.Key).Ja}: {string.Join(" ", error.Value)}", $"{FieldLabel(error.Key).En}: {string.Join(" ", error.Value)}")),
        });
        return TypedResults.Redirect(session.Url("/subcontractors"));
    }

    internal static IResult ShowDocument(VendorSession session, VendorPageContext page) =>
        !session.IsOpen || !session.IsHandlingMethod
            ? TypedResults.Redirect(session.Url())
            : PageResults.Render(new DocumentView(page, session, ReviewEndpoints.DefaultOfficer(session)));

    internal static async Task<IResult> SaveDocumentAsync(
        [AsParameters] DocumentForm document, IFormCollection form, HttpContext context, VendorSession session, DraftStore drafts, EvidenceUploads uploads,
        VendorProgress progress, VendorSealing sealing, CancellationToken cancellationToken)
    {
        if (!session.IsOpen || !session.IsHandlingMethod)
        {
            return TypedResults.Redirect(session.Url());
        }

        var declaration = document.Declaration;
        var officer = document.Attestation.Officer;
        var (added, refused) = await uploads.StoreAsync(session, form.Files, DocumentItem, DocumentTypes, cancellationToken);
        var removed = EvidenceUploads.RemovedIn(form);
        var draft = await drafts.UpdateAsync(session, current => current with
        {
            Declaration = declaration,
            Officer = officer,
            Evidence = [.. current.Evidence.Where(file => !removed.Contains(file.Id)), .. added],
        }, cancellationToken);
        await uploads.DeleteRemovedAsync(session, removed, cancellationToken);
        await progress.AnsweringAsync(session, cancellationToken);
        if (FormFields.IsAutosave(context))
        {
            return TypedResults.Ok(new AutosaveResult(draft.Revision, draft.UpdatedAt, []));
        }

        var notices = refused.ToList();
        if (document.Action == FormActions.Submit && notices.Count == 0 && removed.Count == 0)
        {
            notices.AddRange(DocumentProblems(draft, declaration));
            notices.AddRange(document.Attestation.Problems);
            if (notices.Count == 0)
            {
                return await sealing.SealAsync(session with { Draft = draft }, context, draft.Revision, officer, declaration, cancellationToken);
            }
        }

        if (notices.Count == 0)
        {
            notices.Add(Notice.Info("下書きを保存しました。", "Draft saved."));
        }

        Flash.Write(context, notices);
        return TypedResults.Redirect(session.Url("/document"));
    }

    private static IEnumerable<Notice> DocumentProblems(Draft draft, HandlingMethodDeclaration declaration)
    {
        if (!draft.EvidenceFor(DocumentPage.ItemId).Any())
        {
            yield return Notice.Error(DocumentPage.ItemId, "取扱方法の書面を添付してください。", "Attach the handling-method document.");
        }

        foreach (var field in DocumentPage.Fields(declaration))
        {
            if (string.IsNullOrWhiteSpace(field.Value))
            {
                yield return Notice.Error(DocumentPage.FieldId(field.Name), $"{field.Label.Ja}を記入してください。", $"Fill in: {field.Label.En}.");
            }
        }
    }

    private static Localized FieldLabel(string field) => field switch
    {
        "legalName.ja" or "name" => new("会社名", "Company name"),
        "corporateNumber" => new("法人番号", "Corporate number"),
        "countries.company" or "countries.storage[0]" or "countries.access[0]" => new("所在国", "Country"),
        "scope" => new("業務の範囲", "Scope"),
        "responsibleOfficer.name" => new("担当者名", "Contact name"),
        "responsibleOfficer.email" => new("メールアドレス", "E-mail"),
        _ => new(field, field),
    };
}

public sealed record SubcontractorsView(VendorPageContext Page, VendorSession Session, IReadOnlyList<SubcontractorStatus> Subcontractors, bool Open)
    : IVendorPageView<SubcontractorsPage>;

public sealed record DocumentView(VendorPageContext Page, VendorSession Session, Officer? DefaultOfficer) : IVendorPageView<DocumentPage>;
