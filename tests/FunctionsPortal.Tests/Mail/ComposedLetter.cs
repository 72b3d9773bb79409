using System.Globalization;
using System.Text.RegularExpressions;
using FunctionsPortal.Mail;

namespace FunctionsPortal.Tests.Mail;

/// <summary>
/// A composed mail taken apart the way a reader sees it: the Japanese letter and its English mirror (plain text,
/// blocks separated by blank lines), and the parts the HTML marks with data-part. Tests assert on parts, not on whole texts.
/// </summary>
public sealed partial class ComposedLetter
{
    private ComposedLetter(OutgoingMail mail, IReadOnlyList<string> ja, IReadOnlyList<string> en, IReadOnlyList<(string Part, string Html)> html)
    {
        Mail = mail;
        Ja = ja;
        En = en;
        Html = html;
    }

    public OutgoingMail Mail { get; }

    /// <summary>The Japanese letter's blocks, in order.</summary>
    public IReadOnlyList<string> Ja { get; }

    /// <summary>The English mirror's blocks, in order.</summary>
    public IReadOnlyList<string> En { get; }

    /// <summary>The HTML paragraphs with their part name, Japanese then English.</summary>
    public IReadOnlyList<(string Part, string Html)> Html { get; }

    public static ComposedLetter Parse(OutgoingMail? mail)
    {
        Assert.NotNull(mail);
        var halves = mail.TextBody.Split(BusinessLetter.LanguageSeparator);
        Assert.Equal(2, halves.Length);
        var html = HtmlPart().Matches(mail.HtmlBody).Select(match => (match.Groups[1].Value, match.Groups[2].Value)).ToList();
        return new ComposedLetter(mail, halves[0].Split("\n\n"), halves[1].Split("\n\n"), html);
    }

    /// <summary>The one Japanese block that starts with <paramref name="prefix"/>.</summary>
    public string JaBlock(string prefix) => Assert.Single(Ja, block => block.StartsWith(prefix, StringComparison.Ordinal));

    public string EnBlock(string prefix) => Assert.Single(En, block => block.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The URLs the plain text offers (each on a line of its own).</summary>
    public IReadOnlyList<string> Links => [.. Ja.Concat(En).SelectMany(block => block.Split('\n')).Where(line => line.StartsWith("http", StringComparison.Ordinal))];

    /// <summary>
    /// Asserts the letter's shape in both languages and both parts: addressee first, then the greeting, a due date
    /// with its weekday, the link, the closing and the signature with the way to check the mail is genuine.
    /// </summary>
    public void AssertBusinessLetter(LetterAudience audience, string? companyJa, string? person, DateOnly due, Uri portal, string phone)
    {
        // Japanese: 宛名, 挨拶, …, 期限, リンク, 結び, 署名.
        var addressee = Ja[0].Split('\n');
        if (companyJa is not null)
        {
            Assert.Equal(companyJa, addressee[0]);
        }

        Assert.Equal(person is null ? "ご担当者様" : $"{person} 様", addressee[^1]);
        Assert.StartsWith(BusinessLetter.Greeting(audience), Ja[1], StringComparison.Ordinal);
        var dueJa = $"{due.Year}年{due.Month}月{due.Day}日（{"日月火水木金土"[(int)due.DayOfWeek]}）";
        Assert.Matches($"^■.+：{Regex.Escape(dueJa)}$", Assert.Single(Ja, block => block.StartsWith('■') && !block.Contains('\n', StringComparison.Ordinal)));
        var linkJa = Assert.Single(Ja, block => block.StartsWith('■') && block.Contains('\n', StringComparison.Ordinal)).Split('\n')[1];
        Assert.StartsWith(portal.GetLeftPart(UriPartial.Authority) + "/", linkJa, StringComparison.Ordinal);
        Assert.Equal(BusinessLetter.Closing(audience), Ja[^2]);
        var signatureJa = Ja[^1];
        Assert.Contains($"電話：{phone}", signatureJa, StringComparison.Ordinal);
        Assert.Contains($"必ず {portal.GetLeftPart(UriPartial.Authority)}/ で始まります", signatureJa, StringComparison.Ordinal);
        Assert.Contains("お電話でご確認ください", signatureJa, StringComparison.Ordinal);

        // English mirror: the same parts, the same link and date.
        Assert.StartsWith(person is null ? "Dear Sir or Madam," : $"Dear {person},", En[0].Split('\n')[^1], StringComparison.Ordinal);
        var dueEn = ": " + due.ToString("dddd, d MMMM yyyy", CultureInfo.InvariantCulture);
        Assert.Single(En, block => block.EndsWith(dueEn, StringComparison.Ordinal) && !block.Contains('\n', StringComparison.Ordinal));
        Assert.Contains(En, block => block.Split('\n').Contains(linkJa));
        Assert.Equal(BusinessLetter.ClosingEn, En[^2]);
        Assert.Contains($"Phone: {phone}", En[^1], StringComparison.Ordinal);
        Assert.Contains($"links in our mails always start with {portal.GetLeftPart(UriPartial.Authority)}/", En[^1], StringComparison.Ordinal);

        // HTML: every part in each language, the link clickable.
        foreach (var part in new[] { "addressee", "greeting", "due", "link", "closing", "signature" })
        {
            Assert.Equal(2, Html.Count(paragraph => paragraph.Part == part));
        }

        Assert.All(Html.Where(paragraph => paragraph.Part == "link"), paragraph => Assert.Contains($"<a href=\"{linkJa}\"", paragraph.Html.Replace("&amp;", "&", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    [GeneratedRegex("<p data-part=\"([a-z]+)\">(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex HtmlPart();
}
