using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsPortal.Checklists;
using FunctionsPortal.Submissions;

namespace FunctionsPortal.VendorPages.Sections;

/// <summary>How answers read on the vendor's pages, and the show/hide rules the page script evaluates.</summary>
public static class AnswerLabels
{
    public static readonly IReadOnlyList<(string Value, Localized Label)> Statuses =
    [
        (StatusAnswers.Done, new("○ 実施している", "○ Done")),
        (StatusAnswers.Partial, new("△ 一部実施・実施予定", "△ Partly done or planned")),
        (StatusAnswers.NotDone, new("× 実施していない", "× Not done")),
    ];

    public static readonly Localized NotApplicable = new("該当なし", "Not applicable");

    // One instance: JsonSerializerOptions caches its metadata, so a new one per item would rebuild it on every page.
    private static readonly JsonSerializerOptions ConditionJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default };

    /// <summary>Last cycle's answer in words, for the "still true?" prompt.</summary>
    public static string Describe(SealedAnswer answer, ChecklistItem item, Func<Localized, string> text)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(text);
        if (answer.Status == StatusAnswers.NotApplicable)
        {
            return text(NotApplicable) + (answer.NaReason is { } reason ? $" ({reason})" : "");
        }

        if (answer.Status is { } status)
        {
            return Statuses.Where(pair => pair.Value == status).Select(pair => text(pair.Label)).FirstOrDefault() ?? status;
        }

        if (answer.Choices is { Count: > 0 } chosen)
        {
            return string.Join(", ", (item.Choices ?? []).Where(choice => chosen.Contains(choice.Id)).Select(choice => text(choice.Label)));
        }

        return answer.Text ?? answer.Number ?? answer.Date ?? "";
    }

    /// <summary>
    /// An item's applicability as JSON for the page script: what the server already knows (vendor flags, answers on
    /// other pages) becomes a constant; only answers on this page stay live.
    /// </summary>
    public static string? ConditionsJson(ChecklistItem item, VendorProfile profile, IReadOnlyDictionary<string, ItemAnswer> answers, IReadOnlySet<string> onThisPage)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Applicability is not { Count: > 0 } conditions)
        {
            return null;
        }

        JsonNode Node(Condition condition) =>
            condition.Answer is { } answer && onThisPage.Contains(answer.Item) ? new JsonObject { ["item"] = answer.Item, ["anyOf"] = new JsonArray([.. answer.AnyOf.Select(value => (JsonNode)value)]) }
            : condition.Not is { } inner ? new JsonObject { ["not"] = Node(inner) }
            : new JsonObject { ["const"] = Applicability.Holds(condition, profile, answers) };

        return new JsonArray([.. conditions.Select(Node)]).ToJsonString(ConditionJson);
    }
}
