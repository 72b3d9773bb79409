using System.Globalization;
using FunctionsPortal.Hosting;
using FunctionsPortal.Checklists;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Surveys;

/// <summary>
/// GET /v/{token}: where an e-mailed link lands. A valid link shows who is asking and why, the due date, the size of
/// the survey and whom to ask, and records that the vendor opened it. Anything else gets a clear page that says
/// what happened (expired, replaced by a newer link, revoked, unknown) and shows nothing about any vendor.
/// </summary>
internal static class VendorLandingPage
{
    public static IEndpointRouteBuilder MapVendorLanding(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v/{token}", ShowAsync).ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task<ContentHttpResult> ShowAsync(
        string token, HttpContext context, SurveyLinks links, AssignmentStore assignments, VendorStore vendors, ChecklistLibrary checklists,
        IOptions<SurveyOptions> options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        // Links are bearer secrets: never cache them, never leak them onward.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        var check = await links.VerifyAsync(token, cancellationToken);
        var o = options.Value;
        if (check.State != LinkState.Valid)
        {
            var (status, ja, en) = check.State switch
            {
                LinkState.Expired => (410, "このリンクの有効期限が切れています。", "This link has expired."),
                LinkState.Superseded => (410, "このリンクは新しいリンクに置き換えられました。最新のメールのリンクをご利用ください。", "This link was replaced by a newer one: please use the link in our latest e-mail."),
                LinkState.Revoked => (410, "このリンクは無効になりました。", "This link has been withdrawn."),
                _ => (404, "このリンクは見つかりません。メールのリンクをそのままコピーしたかご確認ください。", "This link was not found. Please check that the whole link from the e-mail was copied."),
            };
            return Page(status, "リンクを開けません / The link cannot be opened",
                $"<p>{Encode(ja)}</p><p lang=\"en\">{Encode(en)}</p><p>お問い合わせ / Contact: <a href=\"mailto:{Encode(o.ContactEmail)}\">{Encode(o.ContactEmail)}</a></p>");
        }

        var assignment = check.Assignment!;
        if (assignment.Status is AssignmentStatus.Invited or AssignmentStatus.Overdue)
        {
            assignment = await assignments.TransitionAsync(assignment.Key, AssignmentStatus.Opened, "vendor", "Link opened", timeProvider.GetUtcNow(), cancellationToken) ?? assignment;
        }

        var vendor = await vendors.FindAsync(assignment.VendorId, cancellationToken);
        var resolved = assignment.ChecklistId is { } id && assignment.ChecklistVersion is { } version ? await checklists.ResolveAsync(id, version, cancellationToken) : null;
        var items = resolved?.Items.Count() ?? 0;
        var title = resolved?.Definition.Title ?? new Localized("再委託先の個人データ取扱方法の書面", "Written handling method of a subcontractor");
        var minutes = Math.Max(10, items * 2);
        var due = assignment.DueOn.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
        var dueEn = assignment.DueOn.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var body =
            $"<p>{Encode(vendor?.Vendor.LegalName.Ja ?? "")} {Encode(assignment.RecipientName ?? "")} 様</p>" +
            $"<p>{Encode(o.OrganisationJa)}は、個人情報保護法に基づき、個人データの取扱いを委託している事業者の安全管理措置の状況を、少なくとも年1回、書面で確認しています（委託先の監督）。ご協力をお願いいたします。</p>" +
            $"<p lang=\"en\">{Encode(o.OrganisationEn)} is required by Japan's Act on the Protection of Personal Information to supervise the companies that handle personal data on its behalf, and checks their safeguards in writing at least once a year.</p>" +
            "<dl>" +
            $"<dt>調査 / Survey</dt><dd>{Encode(title.Ja)} <span lang=\"en\">({Encode(title.En)})</span></dd>" +
            $"<dt>回答期限 / Due</dt><dd>{Encode(due)} <span lang=\"en\">({Encode(dueEn)})</span></dd>" +
            (items > 0 ? $"<dt>設問数 / Questions</dt><dd>{items}（目安 {minutes} 分 / about {minutes} minutes）</dd>" : "") +
            $"<dt>お問い合わせ / Contact</dt><dd><a href=\"mailto:{Encode(o.ContactEmail)}\">{Encode(o.ContactEmail)}</a></dd>" +
            "</dl>";
        return Page(200, $"{title.Ja} / {title.En}", body);
    }

    private static string Encode(string value) => PortalHtml.Encode(value);

    private static ContentHttpResult Page(int status, string title, string body) => TypedResults.Content(
        "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        $"<meta name=\"robots\" content=\"noindex\"><title>{Encode(title)}</title>" +
        "<style>body{font-family:sans-serif;max-width:44rem;margin:1rem auto;padding:0 1rem;line-height:1.7;color:#1a1a1a}dt{font-weight:bold;margin-top:.6rem}</style></head>" +
        $"<body><main><h1>{Encode(title)}</h1>{body}</main></body></html>",
        "text/html; charset=utf-8",
        statusCode: status);
}
