using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FunctionsPortal.Audit;

/// <summary>Before/after of a change, kept small: only the top-level members that differ, as JSON.</summary>
public static class AuditChanges
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The members of <paramref name="before"/> and <paramref name="after"/> that differ; null when nothing does.</summary>
    public static (JsonObject Before, JsonObject After)? Between<T>(T before, T after)
    {
        var old = JsonSerializer.SerializeToNode(before, Json) as JsonObject ?? [];
        var @new = JsonSerializer.SerializeToNode(after, Json) as JsonObject ?? [];
        var changedBefore = new JsonObject();
        var changedAfter = new JsonObject();
        foreach (var name in old.Select(pair => pair.Key).Union(@new.Select(pair => pair.Key), StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var was = old[name];
            var now = @new[name];
            if (!JsonNode.DeepEquals(was, now))
            {
                changedBefore[name] = was?.DeepClone();
                changedAfter[name] = now?.DeepClone();
            }
        }

        return changedAfter.Count == 0 ? null : (changedBefore, changedAfter);
    }
}
