using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

using FunctionsPortal.Hosting;

namespace FunctionsPortal.Mail;

/// <summary>
/// /outbox: the local outbox for people trying the portal without a mail service (Development only, and only when
/// no Graph sender is configured). Each mail opens with its links clickable; the .eml opens in any mail program.
/// </summary>
internal static class LocalOutboxPages
{
    public static IEndpointRouteBuilder MapLocalOutboxPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/outbox", ListAsync).ExcludeFromDescription();
        endpoints.MapGet("/outbox/{id}", ShowAsync).ExcludeFromDescription();
        endpoints.MapGet("/outbox/{id}/eml", EmlAsync).ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task<ContentHttpResult> ListAsync(LocalOutboxTransport outbox, CancellationToken cancellationToken)
    {
        var encoder = PortalHtml.Encoder;
        var mails = await outbox.ListAsync(200, cancellationToken);
        var rows = new StringBuilder();
        foreach (var mail in mails)
        {
            rows.Append("<tr><td>").Append(encoder.Encode(mail.SentAt.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)))
                .Append("</td><td>").Append(encoder.Encode(mail.Company ?? "—"))
                .Append("</td><td>").Append(encoder.Encode(mail.To))
                .Append("</td><td><a href=\"/outbox/").Append(encoder.Encode(mail.Id)).Append("\">").Append(encoder.Encode(mail.Subject)).Append("</a></td></tr>");
        }

        return TypedResults.Content(Page("ローカル送信箱 / Local outbox",
            $"<p>メールサービス未設定のため、送信メールはここに保存されます（.eml ファイルも作成）。<span lang=\"en\">No mail service is configured: sent mail is kept here (and as .eml files).</span></p>" +
            $"<table><thead><tr><th>送信 / Sent (JST)</th><th>会社 / Company</th><th>宛先 / To</th><th>件名 / Subject</th></tr></thead><tbody>{rows}</tbody></table>" +
            (mails.Count == 0 ? "<p>まだありません。 <span lang=\"en\">Nothing yet.</span></p>" : "")), "text/html; charset=utf-8");
    }

    internal static async Task<Results<ContentHttpResult, NotFound>> ShowAsync(string id, LocalOutboxTransport outbox, CancellationToken cancellationToken)
    {
        var mail = await outbox.FindAsync(id, cancellationToken);
        if (mail is null)
        {
            return TypedResults.NotFound();
        }

        var encoder = PortalHtml.Encoder;
        // The mail's own HTML is shown in a sandboxed frame: no script runs, links open in a new tab.
        var body =
            $"<p><a href=\"/outbox\">← 送信箱 / Outbox</a> · <a href=\"/outbox/{encoder.Encode(mail.Id)}/eml\">.eml</a></p>" +
            $"<dl><dt>会社 / Company</dt><dd>{encoder.Encode(mail.Company ?? "—")}</dd><dt>宛先 / To</dt><dd>{encoder.Encode(mail.To)}</dd><dt>件名 / Subject</dt><dd>{encoder.Encode(mail.Subject)}</dd>" +
            $"<dt>Outbox key</dt><dd><code>{encoder.Encode(mail.OutboxKey)}</code></dd></dl>" +
            $"<iframe title=\"mail\" sandbox=\"allow-popups allow-popups-to-escape-sandbox\" style=\"width:100%;height:32rem;border:1px solid #ccc\" srcdoc=\"{encoder.Encode(mail.HtmlBody.Replace("<a ", "<a target=\"_blank\" ", StringComparison.Ordinal))}\"></iframe>" +
            $"<h2>Text</h2><pre style=\"white-space:pre-wrap\">{encoder.Encode(mail.TextBody)}</pre>";
        return TypedResults.Content(Page(mail.Subject, body), "text/html; charset=utf-8");
    }

    internal static async Task<Results<FileContentHttpResult, NotFound>> EmlAsync(string id, LocalOutboxTransport outbox, CancellationToken cancellationToken)
    {
        var mail = await outbox.FindAsync(id, cancellationToken);
        if (mail?.EmlPath is not { } path || !File.Exists(path))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.File(await File.ReadAllBytesAsync(path, cancellationToken), "message/rfc822", Path.GetFileName(path));
    }

    private static string Page(string title, string body) =>
        $"<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{PortalHtml.Encode(title)}</title>" +
        "<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.5}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}</style></head>" +
        $"<body><main><h1>{PortalHtml.Encode(title)}</h1>{body}</main></body></html>";
}
