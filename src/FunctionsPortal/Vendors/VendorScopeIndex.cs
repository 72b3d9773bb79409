using System.Globalization;
using System.Text;
using Azure.Data.Tables;

namespace FunctionsPortal.Vendors;

/// <summary>
/// The scope index rows of the vendors partition: "s-{facet}!{value}!{vendorId}", one per vendor and value it handles, so
/// "who else holds this data category / uses this system / works in this place / subcontracts for this vendor" is one
/// bounded range per value. Each row projects what a scope answer shows, so the answer reads no vendor record.
/// </summary>
internal static class VendorScopeIndex
{
    public const string Prefix = "s-";

    /// <summary>The upper bound of every scope row ("." sorts right after "-").</summary>
    public const string PrefixEnd = "s.";

    public const string Category = "category";
    public const string System = "system";
    public const string Location = "location";
    public const string Parent = "parent";

    /// <summary>Location rows of a country say how: the data is stored there and/or accessed from there.</summary>
    public const string StorageRole = "storage";
    public const string AccessRole = "access";

    /// <summary>Trimmed, inner whitespace collapsed, case-folded: "AWS  S3" and " aws s3" are one system.</summary>
    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToLowerInvariant();
    }

    /// <summary>
    /// The value as key text: [a-z0-9._-] as they are, any other UTF-16 unit as "~XXXX" (free-text systems may hold "/", "#",
    /// "?" or Japanese, which keys forbid or make unreadable); "!" never appears, so it ends the value unambiguously.
    /// </summary>
    public static string KeyText(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        var key = new StringBuilder(normalized.Length);
        foreach (var unit in normalized)
        {
            if (unit is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-')
            {
                key.Append(unit);
            }
            else
            {
                key.Append('~').Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return key.ToString();
    }

    /// <summary>"s-{facet}!{value}!": every row of one value, and nothing else, starts with this.</summary>
    public static string ValuePrefix(string facet, string normalizedValue) => $"{Prefix}{facet}!{KeyText(normalizedValue)}!";

    /// <summary>The filter of one value's rows: from its prefix up to the prefix with the last "!" raised to "\"".</summary>
    public static string RangeFilter(string partition, string facet, string normalizedValue)
    {
        var prefix = ValuePrefix(facet, normalizedValue);
        return TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + "\""}");
    }

    /// <summary>
    /// The scope rows a vendor should have. Categories, systems and locations (work locations, and the countries its data is
    /// stored in or accessed from) for every vendor but a linked declaration (the registered vendor it names has its own);
    /// the parent row for every subcontractor, so a vendor's subcontractors are one range too.
    /// </summary>
    public static List<TableEntity> Rows(string partition, string id, Vendor vendor)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        var rows = new List<TableEntity>();
        TableEntity Row(string facet, string normalizedValue)
        {
            var row = new TableEntity(partition, ValuePrefix(facet, normalizedValue) + id)
            {
                ["VendorId"] = id,
                ["NameJa"] = vendor.LegalName.Ja,
                ["ParentId"] = vendor.ParentId,
                ["ApproximateRecords"] = vendor.ApproximateRecords,
                ["LifecycleStatus"] = vendor.LifecycleStatus,
                ["DataCategories"] = string.Join(',', vendor.DataCategories),
                ["LinkedVendorId"] = vendor.Match?.Linked == true ? vendor.Match.VendorId : null,
            };
            rows.Add(row);
            return row;
        }

        if (vendor.ParentId is { Length: > 0 } parentId)
        {
            Row(Parent, parentId);
        }

        if (vendor.Match?.Linked == true)
        {
            return rows;
        }

        foreach (var category in Distinct(vendor.DataCategories))
        {
            Row(Category, category);
        }

        foreach (var system in Distinct(vendor.CloudServices))
        {
            Row(System, system);
        }

        foreach (var location in Distinct(vendor.WorkLocations))
        {
            Row(Location, location);
        }

        var storage = Distinct(vendor.Countries?.Storage ?? []).ToHashSet(StringComparer.Ordinal);
        var access = Distinct(vendor.Countries?.Access ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var country in storage.Union(access).Order(StringComparer.Ordinal))
        {
            var row = Row(Location, country);
            row[StorageColumn] = storage.Contains(country);
            row[AccessColumn] = access.Contains(country);
        }

        return rows;
    }

    public const string StorageColumn = "Storage";
    public const string AccessColumn = "Access";

    /// <summary>Whether a stored row already says what <paramref name="wanted"/> says (the rebuild rewrites only rows that differ).</summary>
    public static bool Same(TableEntity wanted, TableEntity stored)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(stored);
        var written = wanted.Where(pair => pair.Value is not null && pair.Key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp")).ToList();
        var storedCount = stored.Count(pair => pair.Value is not null && pair.Key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp"));
        return storedCount == written.Count && written.All(pair => stored.TryGetValue(pair.Key, out var value) && Equals(value, pair.Value));
    }

    private static IEnumerable<string> Distinct(IEnumerable<string> values) =>
        values.Select(Normalize).Where(value => value.Length > 0).Distinct(StringComparer.Ordinal);
}
