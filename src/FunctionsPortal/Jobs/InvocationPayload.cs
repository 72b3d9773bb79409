using System.Text.Json;

namespace FunctionsPortal.Jobs;

/// <summary>
/// The Functions host's invocation body <c>{"Data": {...}, "Metadata": {...}}</c>. The host JSON-encodes plain
/// strings a second time (a queue message arrives as <c>"\"text\""</c> or <c>"{\"id\":1}"</c>), so every value
/// is unwrapped until it is an object, an array, or a string that holds no more JSON.
/// </summary>
public sealed record InvocationPayload(
    IReadOnlyDictionary<string, JsonElement> Data,
    IReadOnlyDictionary<string, JsonElement> Metadata)
{
    private const int MaxUnwrapDepth = 4;

    public static InvocationPayload Empty { get; } = new(new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>());

    /// <summary>Parses a request body; throws <see cref="InvalidInvocationException"/> with a readable message.</summary>
    public static InvocationPayload Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new InvalidInvocationException("The invocation body is empty; expected a JSON object with a \"Data\" object.");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            root = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new InvalidInvocationException($"The invocation body is not valid JSON ({exception.Message}).");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationException($"The invocation body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}; expected an object with a \"Data\" object.");
        }

        var data = ReadSection(root, "Data", required: true);
        var metadata = ReadSection(root, "Metadata", required: false);
        return new InvocationPayload(data, metadata);
    }

    /// <summary>Unwraps a value that may be JSON inside a JSON string, possibly more than once.</summary>
    public static JsonElement Unwrap(JsonElement value)
    {
        for (var depth = 0; depth < MaxUnwrapDepth && value.ValueKind == JsonValueKind.String; depth++)
        {
            var text = value.GetString()!.Trim();
            if (text.Length == 0 || text[0] is not ('{' or '[' or '"'))
            {
                break;
            }

            try
            {
                using var inner = JsonDocument.Parse(text);
                value = inner.RootElement.Clone();
            }
            catch (JsonException)
            {
                break; // a plain string that merely starts like JSON: keep it as text
            }
        }

        return value;
    }

    private static Dictionary<string, JsonElement> ReadSection(JsonElement root, string name, bool required)
    {
        var found = root.EnumerateObject().FirstOrDefault(property => string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase));
        if (found.Value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return required
                ? throw new InvalidInvocationException($"The invocation body has no \"{name}\" object.")
                : new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        }

        var section = Unwrap(found.Value);
        if (section.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationException($"\"{name}\" must be a JSON object; it is a {section.ValueKind.ToString().ToLowerInvariant()}.");
        }

        return section.EnumerateObject().ToDictionary(property => property.Name, property => Unwrap(property.Value), StringComparer.OrdinalIgnoreCase);
    }
}
