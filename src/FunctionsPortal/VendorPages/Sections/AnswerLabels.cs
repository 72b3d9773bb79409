using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsPortal.Checklists;

namespace FunctionsPortal.VendorPages.Sections;

/// <summary>How answers read on the vendor's pages, and the show/hide rules the page script evaluates.</summary>
public static class AnswerLabels
{
    public static IReadOnlyList<(string Value, Localized Label)> Statuses => StatusAnswers.Labelled;

    public static Localized NotApplicable => StatusAnswers.NotApplicableLabel;

    // One instance: JsonSerializerOptions caches its metadata, so a new one per item would rebuild it on every page.
    private static readonly JsonSerializerOptions ConditionJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default };

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
