using System.Globalization;
using System.Text;
using FunctionsPortal.Hosting;

namespace FunctionsPortal.Mail;

/// <summary>Whom a mail addresses: a vendor (external business mail) or our own staff (an internal notice).</summary>
public enum LetterAudience
{
    Vendor,
    Staff,
}

/// <summary>
/// One mail as a Japanese company writes it, Japanese first and the English mirror below: the addressee (company and
/// person), the greeting, who writes, why (<see cref="Ja"/>/<see cref="En"/>), the due date, the link, the closing,
/// and the sender's signature with how to check the mail is genuine.
/// </summary>
public sealed record Letter(
    LetterAudience Audience,
    MailAddressee To,
    LocalizedLine? Company,
    string Subject,
    IReadOnlyList<string> Ja,
    IReadOnlyList<string> En,
    LetterDate? Due,
    LetterLink? Link);

public sealed record LocalizedLine(string Ja, string En);

/// <summary>A date the mail is about, with its label ("回答期限" / "Due date").</summary>
public sealed record LetterDate(DateOnly On, string LabelJa, string LabelEn);

/// <summary>The link, with its label in each language.</summary>
public sealed record LetterLink(string Url, string LabelJa, string LabelEn);

public static class BusinessLetter
{
    public const string VendorGreetingJa = "いつもお世話になっております。";
    public const string VendorClosingJa = "何卒よろしくお願い申し上げます。";
    public const string StaffGreetingJa = "お疲れさまです。";
    public const string StaffClosingJa = "よろしくお願いいたします。";
    public const string ClosingEn = "Kind regards,";

    /// <summary>Separates the Japanese letter from its English mirror in the plain-text part.</summary>
    public const string LanguageSeparator = "\n\n----- English -----\n\n";

    private static readonly string[] Weekdays = ["日", "月", "火", "水", "木", "金", "土"];

    /// <summary>A date as Japanese business mail writes it: 2026年12月25日（金）.</summary>
    public static string JapaneseDate(DateOnly date) =>
        date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture) + $"（{Weekdays[(int)date.DayOfWeek]}）";

    /// <summary>The English mirror: Friday, 25 December 2026.</summary>
    public static string EnglishDate(DateOnly date) => date.ToString("dddd, d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Greeting(LetterAudience audience) => audience == LetterAudience.Vendor ? VendorGreetingJa : StaffGreetingJa;

    public static string Closing(LetterAudience audience) => audience == LetterAudience.Vendor ? VendorClosingJa : StaffClosingJa;

    public static OutgoingMail Write(string outboxKey, Letter letter, MailSignature signature)
    {
        ArgumentNullException.ThrowIfNull(letter);
        ArgumentNullException.ThrowIfNull(signature);
        var ja = Blocks(letter, signature, japanese: true);
        var en = Blocks(letter, signature, japanese: false);
        var text = string.Join("\n\n", ja.Select(block => string.Join("\n", block.Lines))) + LanguageSeparator + string.Join("\n\n", en.Select(block => string.Join("\n", block.Lines)));
        var html = new StringBuilder("<!doctype html><html lang=\"ja\"><body style=\"font-family:sans-serif;line-height:1.6\">");
        AppendHtml(html, ja);
        html.Append("<hr><div lang=\"en\">");
        AppendHtml(html, en);
        html.Append("</div></body></html>");
        var to = letter.To with { Organisation = letter.Company?.Ja ?? signature.OrganisationJa };
        return new OutgoingMail(outboxKey, to, [], letter.Subject, html.ToString(), text);
    }

    private sealed record Block(string Part, IReadOnlyList<string> Lines, string? Href = null);

    private static List<Block> Blocks(Letter letter, MailSignature signature, bool japanese)
    {
        var blocks = new List<Block>();
        var person = letter.To.Name is { Length: > 0 } name ? name : null;
        if (japanese)
        {
            var addressee = new List<string>();
            if (letter.Company is { } company)
            {
                addressee.Add(company.Ja);
            }

            addressee.Add(person is null ? "ご担当者様" : $"{person} 様");
            blocks.Add(new Block("addressee", addressee));
            blocks.Add(new Block("greeting", letter.Audience == LetterAudience.Vendor
                ? [VendorGreetingJa, $"{signature.OrganisationJa} {signature.DepartmentJa}です。"]
                : [StaffGreetingJa, $"委託先管理ポータルからの自動通知です（{signature.OrganisationJa} {signature.DepartmentJa}）。"]));
            blocks.AddRange(letter.Ja.Select(paragraph => new Block("body", [paragraph])));
            if (letter.Due is { } due)
            {
                blocks.Add(new Block("due", [$"■{due.LabelJa}：{JapaneseDate(due.On)}"]));
            }

            if (letter.Link is { } link)
            {
                blocks.Add(new Block("link", [$"■{link.LabelJa}：", link.Url], link.Url));
            }

            blocks.Add(new Block("closing", [Closing(letter.Audience)]));
            blocks.Add(new Block("signature", [MailSignature.Rule, .. signature.Ja, MailSignature.Rule]));
        }
        else
        {
            var addressee = new List<string>();
            if (letter.Company is { } company)
            {
                addressee.Add(company.En);
            }

            addressee.Add(person is null ? "Dear Sir or Madam," : $"Dear {person},");
            blocks.Add(new Block("addressee", addressee));
            blocks.Add(new Block("greeting", letter.Audience == LetterAudience.Vendor
                ? [$"Thank you for your continued cooperation. This is the {signature.DepartmentEn} of {signature.OrganisationEn}."]
                : [$"This is an automatic notice from the vendor portal ({signature.DepartmentEn}, {signature.OrganisationEn})."]));
            blocks.AddRange(letter.En.Select(paragraph => new Block("body", [paragraph])));
            if (letter.Due is { } due)
            {
                blocks.Add(new Block("due", [$"{due.LabelEn}: {EnglishDate(due.On)}"]));
            }

            if (letter.Link is { } link)
            {
                blocks.Add(new Block("link", [$"{link.LabelEn}:", link.Url], link.Url));
            }

            blocks.Add(new Block("closing", [ClosingEn]));
            blocks.Add(new Block("signature", [MailSignature.Rule, .. signature.En, MailSignature.Rule]));
        }

        return blocks;
    }

    private static void AppendHtml(StringBuilder html, List<Block> blocks)
    {
        var encoder = PortalHtml.Encoder;
        foreach (var block in blocks)
        {
            html.Append("<p data-part=\"").Append(block.Part).Append("\">");
            if (block.Href is { } href)
            {
                // The label, then the link written out in full: the recipient sees the address they are asked to check.
                html.Append(encoder.Encode(block.Lines[0])).Append("<br><a href=\"").Append(encoder.Encode(href)).Append("\">").Append(encoder.Encode(href)).Append("</a>");
            }
            else
            {
                html.AppendJoin("<br>", block.Lines.Select(line => encoder.Encode(line)));
            }

            html.Append("</p>");
        }
    }
}
