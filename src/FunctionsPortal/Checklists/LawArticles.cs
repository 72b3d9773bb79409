using System.Text.RegularExpressions;

namespace FunctionsPortal.Checklists;

/// <summary>
/// The articles of the Act on the Protection of Personal Information (個人情報保護法) the portal may cite, numbered as
/// in force since 2022-04-01. The seeds predate that renumbering (seed 002 cites 委託先の監督 as 法第22条), so every
/// citation is checked against this table by a test.
/// </summary>
public static partial class LawArticles
{
    /// <summary>Article number → subject, and words that show a text is about that subject (to catch a wrong number).</summary>
    public static readonly IReadOnlyDictionary<int, LawArticle> Appi = new Dictionary<int, LawArticle>
    {
        [17] = new(new("利用目的の特定", "Specifying the purpose of use"), ["利用目的の特定"]),
        [18] = new(new("利用目的による制限", "Restriction by the purpose of use"), ["目的外利用"]),
        [20] = new(new("適正な取得", "Proper acquisition"), ["適正な取得", "要配慮個人情報の取得"]),
        [21] = new(new("取得に際しての利用目的の通知等", "Notice of the purpose of use on acquisition"), ["利用目的の通知"]),
        [22] = new(new("データ内容の正確性の確保等", "Accuracy of data"), ["正確性", "最新の内容"]),
        [23] = new(new("安全管理措置", "Security control measures"), ["安全管理措置", "security measures"]),
        [24] = new(new("従業者の監督", "Supervision of employees"), ["従業者の監督", "supervision of staff"]),
        [25] = new(new("委託先の監督", "Supervision of contractors"), ["委託先", "再委託", "subcontract", "contractor"]),
        [26] = new(new("漏えい等の報告等", "Reporting of leaks"), ["漏えい等の報告", "個人情報保護委員会への報告"]),
        [27] = new(new("第三者提供の制限", "Restriction of provision to third parties"), ["第三者提供"]),
        [28] = new(new("外国にある第三者への提供の制限", "Restriction of provision to a third party in a foreign country"), ["外国にある第三者", "外国の制度"]),
        [29] = new(new("第三者提供に係る記録の作成等", "Records of provision to third parties"), ["提供に係る記録"]),
        [32] = new(new("保有個人データに関する事項の公表等", "Publication of matters on retained personal data"), ["保有個人データに関する事項"]),
        [33] = new(new("開示", "Disclosure"), ["開示請求"]),
        [34] = new(new("訂正等", "Correction"), ["訂正等の請求"]),
        [35] = new(new("利用停止等", "Suspension of use"), ["利用停止"]),
    };

    /// <summary>The article numbers a text cites: 「第N条」 (full-width digits too), "Art. N" and "Article N".</summary>
    public static IReadOnlyList<int> CitedIn(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Citation().Matches(text)
            .Select(match => match.Groups["ja"].Success ? match.Groups["ja"].Value : match.Groups["en"].Value)
            .Select(digits => int.Parse(digits.Normalize(System.Text.NormalizationForm.FormKC), System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
    }

    [GeneratedRegex(@"第\s*(?<ja>[0-9０-９]+)\s*条|\bArt(?:icle|\.)\s*(?<en>[0-9]+)")]
    private static partial Regex Citation();
}

/// <param name="Subject">What the article is about, as the Act's heading says.</param>
/// <param name="Signals">Words that, in the text citing an article, show it is about this subject.</param>
public sealed record LawArticle(Localized Subject, IReadOnlyList<string> Signals);
