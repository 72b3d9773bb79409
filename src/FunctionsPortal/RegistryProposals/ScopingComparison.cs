using FunctionsPortal.Checklists;
using FunctionsPortal.Submissions;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.RegistryProposals;

/// <summary>
/// Compares a sealed submission's scoping answers with the vendor's registry record, field by field: a field whose item was
/// not answered is not compared (null); one that agrees gives an empty difference; one that differs gives the proposal's values.
/// </summary>
public static class ScopingComparison
{
    public const string Unknown = "unknown";

    public const string NoCountryNamed = "（国名の記入なし / no country named）";

    public static IReadOnlyList<FieldComparison> Compare(IReadOnlyDictionary<string, SealedAnswer> answers, Vendor vendor, bool hasSubcontractors)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(vendor);
        var compared = new List<FieldComparison>();
        if (Choice(answers, ScopingItems.Subcontracts) is { } subcontracts)
        {
            var current = CurrentSubcontracts(vendor, hasSubcontractors);
            var note = subcontracts == ScopingItems.No && hasSubcontractors
                ? new Localized("登録済みの再委託先が残っています。確定後、それぞれの再委託先の取引状況を見直してください。", "Subcontractors are still registered: after confirming, review each one's status.")
                : null;
            compared.Add(new FieldComparison(ProposalFields.Subcontracts, [current], [subcontracts], null, [], current != subcontracts, note));
        }

        if (Choice(answers, ScopingItems.Overseas) is { } overseas)
        {
            var current = Foreign(vendor.Countries.Storage.Concat(vendor.Countries.Access));
            var text = overseas == ScopingItems.Yes ? answers.GetValueOrDefault(ScopingItems.Countries)?.Text : null;
            var (codes, unrecognised) = CountryNames.Parse(text);
            var proposed = overseas == ScopingItems.Yes ? Foreign(codes) : [];
            var namedNone = overseas == ScopingItems.Yes && proposed.Count == 0;
            var differs = !SameSet(current, proposed, StringComparer.Ordinal) || (namedNone && current.Count == 0);

            // "Abroad" with no country we can read is told to staff as such (it cannot be applied, only read).
            IReadOnlyList<string> unread = namedNone && unrecognised.Count == 0 ? [NoCountryNamed] : unrecognised;
            compared.Add(new FieldComparison(ProposalFields.OverseasCountries, current, proposed, text, unread, differs && !(namedNone && current.Count > 0 && unrecognised.Count == 0), null));
        }

        if (Choice(answers, ScopingItems.Cloud) is { } cloud)
        {
            var text = cloud == ScopingItems.Yes ? answers.GetValueOrDefault(ScopingItems.CloudServices)?.Text : null;
            var proposed = cloud == ScopingItems.Yes ? CloudServiceList(text) : [];
            // "Yes" naming none is no change we could make: only a list that differs is proposed.
            var differs = !SameSet(vendor.CloudServices, proposed, StringComparer.OrdinalIgnoreCase) && !(cloud == ScopingItems.Yes && proposed.Count == 0);
            compared.Add(new FieldComparison(ProposalFields.CloudServices, vendor.CloudServices, proposed, text, [], differs, null));
        }

        return compared;
    }

    /// <summary>The registry's view of subcontracting: what the vendor stated, else "yes" when it has registered subcontractors.</summary>
    public static string CurrentSubcontracts(Vendor vendor, bool hasSubcontractors)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        return vendor.Subcontracts switch
        {
            true => ScopingItems.Yes,
            false => ScopingItems.No,
            null => hasSubcontractors ? ScopingItems.Yes : Unknown,
        };
    }

    /// <summary>One cloud service a line or per semicolon (a service's own description may use commas: "AWS, S3, Tokyo").</summary>
    public static IReadOnlyList<string> CloudServiceList(string? text) =>
        (text ?? "").Split(['\n', '\r', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static List<string> Foreign(IEnumerable<string> codes) =>
        codes.Where(code => code != "JP").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static bool SameSet(IEnumerable<string> left, IEnumerable<string> right, StringComparer comparer) =>
        left.ToHashSet(comparer).SetEquals(right);

    private static string? Choice(IReadOnlyDictionary<string, SealedAnswer> answers, string item) =>
        answers.GetValueOrDefault(item)?.Choices?.FirstOrDefault(choice => choice is ScopingItems.Yes or ScopingItems.No);
}

/// <summary>One field compared: the registry's value, the answer's, whether they differ, and what staff should read.</summary>
public sealed record FieldComparison(
    string Field, IReadOnlyList<string> Current, IReadOnlyList<string> Proposed, string? Answer, IReadOnlyList<string> Unrecognised, bool Differs, Localized? Note);
