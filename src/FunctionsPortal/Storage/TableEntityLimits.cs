using System.Reflection;
using System.Text;
using Azure.Data.Tables;

namespace FunctionsPortal.Storage;

/// <summary>
/// Azure Table storage limits, enforced in our code because Azurite accepts entities Azure rejects
/// (over 1 MiB, over 252 properties). Sizes follow Azure's documented entity-size formula.
/// </summary>
public static class TableEntityLimits
{
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxCustomProperties = 252;
    public const int MaxKeyLength = 1024;
    public const int MaxPropertyNameLength = 255;
    public const int MaxStringPropertyChars = 32 * 1024;
    public const int MaxBinaryPropertyBytes = 64 * 1024;

    private static readonly HashSet<string> SystemProperties = new(StringComparer.Ordinal)
    {
        "PartitionKey", "RowKey", "Timestamp", "ETag", "odata.etag",
    };

    /// <summary>Throws <see cref="StorageLimitException"/> naming the first limit the entity breaks; returns its size in bytes.</summary>
    public static int Validate(ITableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ValidateKey("PartitionKey", entity.PartitionKey);
        ValidateKey("RowKey", entity.RowKey);

        var properties = CustomProperties(entity).ToList();
        if (properties.Count > MaxCustomProperties)
        {
            throw new StorageLimitException(
                $"Entity {Describe(entity)} has {properties.Count} properties; Azure Table storage allows {MaxCustomProperties}.");
        }

        var size = 4 + ((entity.PartitionKey.Length + entity.RowKey.Length) * 2);
        foreach (var (name, value) in properties)
        {
            if (name.Length > MaxPropertyNameLength)
            {
                throw new StorageLimitException($"Property name '{name[..40]}…' of {Describe(entity)} is longer than {MaxPropertyNameLength} characters.");
            }

            size += 8 + (name.Length * 2) + ValueSize(entity, name, value);
        }

        if (size > MaxEntityBytes)
        {
            throw new StorageLimitException($"Entity {Describe(entity)} is {size:N0} bytes; Azure Table storage allows {MaxEntityBytes:N0}.");
        }

        return size;
    }

    public static void ValidateKey(string keyName, string? value)
    {
        if (value is null)
        {
            throw new StorageLimitException($"{keyName} is required.");
        }

        if (value.Length > MaxKeyLength)
        {
            throw new StorageLimitException($"{keyName} is {value.Length} characters; Azure allows {MaxKeyLength}.");
        }

        foreach (var character in value)
        {
            if (character is '/' or '\\' or '#' or '?' || char.IsControl(character))
            {
                throw new StorageLimitException($"{keyName} '{value}' contains '{Printable(character)}', which Azure Table storage does not allow in keys.");
            }
        }
    }

    private static int ValueSize(ITableEntity entity, string name, object? value) => value switch
    {
        null => 0,
        string text when text.Length > MaxStringPropertyChars =>
            throw new StorageLimitException($"Property '{name}' of {Describe(entity)} has {text.Length:N0} characters; a string property holds at most {MaxStringPropertyChars:N0}."),
        string text => (text.Length * 2) + 4,
        byte[] bytes when bytes.Length > MaxBinaryPropertyBytes =>
            throw new StorageLimitException($"Property '{name}' of {Describe(entity)} has {bytes.Length:N0} bytes; a binary property holds at most {MaxBinaryPropertyBytes:N0}."),
        byte[] bytes => bytes.Length + 4,
        BinaryData data => ValueSize(entity, name, data.ToArray()),
        bool => 1,
        DateTime or DateTimeOffset or double or long or ulong => 8,
        int or uint or short or ushort or byte or float => 4,
        Guid => 16,
        Enum => (value.ToString()!.Length * 2) + 4,
        _ => throw new StorageLimitException($"Property '{name}' of {Describe(entity)} has type {value.GetType().Name}, which Table storage cannot store."),
    };

    private static IEnumerable<(string Name, object? Value)> CustomProperties(ITableEntity entity)
    {
        if (entity is TableEntity dynamicEntity)
        {
            return dynamicEntity
                .Where(pair => !SystemProperties.Contains(pair.Key))
                .Select(pair => (pair.Key, (object?)pair.Value));
        }

        return entity.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanRead && property.GetIndexParameters().Length == 0
                               && !SystemProperties.Contains(property.Name)
                               && property.GetCustomAttribute<System.Runtime.Serialization.IgnoreDataMemberAttribute>() is null)
            .Select(property => (property.Name, property.GetValue(entity)));
    }

    private static string Describe(ITableEntity entity) => $"({entity.PartitionKey}, {entity.RowKey})";

    private static string Printable(char character) =>
        char.IsControl(character) ? $"U+{(int)character:X4}" : character.ToString();

    /// <summary>Rough wire size of a batch operation: entity plus JSON/MIME overhead, used for the 4 MiB batch limit.</summary>
    internal static int EstimatedPayloadBytes(ITableEntity entity) => Validate(entity) + Encoding.UTF8.GetByteCount(entity.PartitionKey + entity.RowKey) + 512;
}
