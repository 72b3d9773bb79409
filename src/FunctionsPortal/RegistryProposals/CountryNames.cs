using System.Text.RegularExpressions;

namespace FunctionsPortal.RegistryProposals;

/// <summary>
/// Reads the countries a vendor typed (ISO 3166-1 alpha-2 codes or common names in Japanese or English, separated by
/// commas, 、, ・, semicolons, slashes or new lines) into codes; what it cannot read is returned as typed, for staff.
/// </summary>
public static partial class CountryNames
{
    private static readonly Dictionary<string, string> Names = Build(
        ("JP", ["日本", "日本国", "Japan"]),
        ("US", ["アメリカ", "アメリカ合衆国", "米国", "United States", "United States of America", "USA", "U.S.", "U.S.A.", "America"]),
        ("CN", ["中国", "中華人民共和国", "China", "PRC"]),
        ("KR", ["韓国", "大韓民国", "South Korea", "Korea", "Republic of Korea"]),
        ("TW", ["台湾", "Taiwan"]),
        ("HK", ["香港", "Hong Kong"]),
        ("SG", ["シンガポール", "Singapore"]),
        ("IN", ["インド", "India"]),
        ("PH", ["フィリピン", "Philippines"]),
        ("VN", ["ベトナム", "Vietnam", "Viet Nam"]),
        ("TH", ["タイ", "Thailand"]),
        ("MY", ["マレーシア", "Malaysia"]),
        ("ID", ["インドネシア", "Indonesia"]),
        ("MM", ["ミャンマー", "Myanmar"]),
        ("BD", ["バングラデシュ", "Bangladesh"]),
        ("KH", ["カンボジア", "Cambodia"]),
        ("AU", ["オーストラリア", "豪州", "Australia"]),
        ("NZ", ["ニュージーランド", "New Zealand"]),
        ("GB", ["イギリス", "英国", "United Kingdom", "UK", "Great Britain", "England"]),
        ("IE", ["アイルランド", "Ireland"]),
        ("DE", ["ドイツ", "Germany"]),
        ("FR", ["フランス", "France"]),
        ("NL", ["オランダ", "Netherlands", "The Netherlands"]),
        ("BE", ["ベルギー", "Belgium"]),
        ("CH", ["スイス", "Switzerland"]),
        ("SE", ["スウェーデン", "Sweden"]),
        ("FI", ["フィンランド", "Finland"]),
        ("DK", ["デンマーク", "Denmark"]),
        ("NO", ["ノルウェー", "Norway"]),
        ("ES", ["スペイン", "Spain"]),
        ("IT", ["イタリア", "Italy"]),
        ("PL", ["ポーランド", "Poland"]),
        ("CA", ["カナダ", "Canada"]),
        ("MX", ["メキシコ", "Mexico"]),
        ("BR", ["ブラジル", "Brazil"]),
        ("IL", ["イスラエル", "Israel"]),
        ("AE", ["アラブ首長国連邦", "UAE", "United Arab Emirates"]),
        ("ZA", ["南アフリカ", "South Africa"]));

    /// <summary>The codes named (in the order first named, each once) and the parts that name no country we know.</summary>
    public static (IReadOnlyList<string> Codes, IReadOnlyList<string> Unrecognised) Parse(string? text)
    {
        var codes = new List<string>();
        var unrecognised = new List<string>();
        foreach (var part in Separators().Split(text ?? "").Select(part => part.Trim()).Where(part => part.Length > 0))
        {
            var code = Code(part);
            if (code is null)
            {
                unrecognised.Add(part);
            }
            else if (!codes.Contains(code, StringComparer.Ordinal))
            {
                codes.Add(code);
            }
        }

        return (codes, unrecognised);
    }

    private static string? Code(string part)
    {
        // A country's name often comes with what is there ("米国（バックアップ）"): the name before the bracket counts.
        var name = Bracket().Replace(part, "").Trim();
        if (Names.TryGetValue(name, out var known))
        {
            return known;
        }

        return IsoCode().IsMatch(name) ? name.ToUpperInvariant() : null;
    }

    private static Dictionary<string, string> Build(params (string Code, string[] Names)[] countries)
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, spellings) in countries)
        {
            foreach (var spelling in spellings)
            {
                names[spelling] = code;
            }
        }

        return names;
    }

    [GeneratedRegex(@"[,，、・;；/／\r\n]+")]
    private static partial Regex Separators();

    [GeneratedRegex(@"[（(].*?[）)]")]
    private static partial Regex Bracket();

    // Two ASCII letters; a name we do not know that happens to be two letters ("EU") is then taken as a code, so EU is named apart.
    [GeneratedRegex("^(?!(?i:EU)$)[A-Za-z]{2}$")]
    private static partial Regex IsoCode();
}
