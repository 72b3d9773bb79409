using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FunctionsPortal.Audit;

/// <summary>
/// The bytes a record's hash covers: a JSON object of all its fields but the hash, members in ordinal order, nulls
/// dropped, no whitespace, minimal escaping — the same rules as the sealed submissions' canonical JSON, written here
/// for a flat, fixed set of fields because the trail must not depend on the capabilities that write to it.
/// </summary>
public static class AuditHash
{
    /// <summary>What the first record of every chain names as its previous hash.</summary>
    public static readonly string Genesis = new('0', 64);

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>How a record's time is written (and hashed): UTC, milliseconds, so storage round-trips it exactly.</summary>
    public static string TimeText(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Compute(string chain, long sequence, string at, string by, string action, string? subject, string? before, string? after, string previousHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Canonical(chain, sequence, at, by, action, subject, before, after, previousHash)));

    internal static byte[] Canonical(string chain, long sequence, string at, string by, string action, string? subject, string? before, string? after, string previousHash)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("action", action);
            WriteIfPresent(writer, "after", after);
            writer.WriteString("at", at);
            WriteIfPresent(writer, "before", before);
            writer.WriteString("by", by);
            writer.WriteString("chain", chain);
            writer.WriteString("previousHash", previousHash);
            writer.WriteNumber("sequence", sequence);
            WriteIfPresent(writer, "subject", subject);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
