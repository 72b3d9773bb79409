using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsPortal.Checklists;
using FunctionsPortal.Submissions;

namespace FunctionsPortal.VendorPages.Sections;

/// <summary>How answers read on the vendor's pages, and the show/hide rules the page script evaluates.</summary>
public static class AnswerLabels
{
    public static IReadOnlyList<(string Value, Localized Label)> Statuses => StatusAnswers.Labelled;

    public static IReadOnlyList<(string Value, Localized Label)> Agreements => AgreementAnswers.Labelled;

    public static Localized NotApplicable => StatusAnswers.NotApplicableLabel;

    /// <summary>
    /// What the evidence label says is required: for ○/△ only where the answer claims the measure (the readiness check
    /// asks for proof of ○ and △, never of × or N/A); plainly required for a file item; optional otherwise.
    /// </summary>
    public static Localized EvidenceNote(ChecklistItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.AnswerType == AnswerTypes.File ? (item.Required ? new("（必須）", " (required)") : new("（任意）", " (optional)"))
            : item.Evidence != "required" ? new("（任意）", " (optional)")
            : item.AnswerType == AnswerTypes.Status ? new("（○・△の場合は必須）", " (required for ○ and △)")
            : item.AnswerType is AnswerTypes.SingleChoice or AnswerTypes.MultipleChoice ? new("（対応している旨の回答の場合は必須）", " (required when your answer says the measure is in place)")
            : new("（必須）", " (required)");
    }

    /// <summary>The values of a previous answer the page script ticks when "still true" is ticked (status or choices), space-separated.</summary>
    public static string PreviousValues(SealedAnswer previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return string.Join(' ', previous.Status is { } status ? [status] : previous.Choices ?? []);
    }

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
            : condition.AnyOf is { } alternatives ? new JsonObject { ["any"] = new JsonArray([.. alternatives.Select(Node)]) }
            : new JsonObject { ["const"] = Applicability.Holds(condition, profile, answers) };

        return new JsonArray([.. conditions.Select(Node)]).ToJsonString(ConditionJson);
    }
}
