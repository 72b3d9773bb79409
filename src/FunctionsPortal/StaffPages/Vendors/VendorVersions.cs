using System.Text.Json;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.StaffPages.Vendors;

/// <summary>What changed between two versions of a vendor's record, by field name, for the profile's history.</summary>
public static class VendorVersions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<string> ChangedFields(Vendor older, Vendor newer)
    {
        var before = JsonSerializer.SerializeToElement(older, Json);
        var after = JsonSerializer.SerializeToElement(newer, Json);
        return after.EnumerateObject()
            .Where(field => !before.TryGetProperty(field.Name, out var was) || was.GetRawText() != field.Value.GetRawText())
            .Select(field => field.Name)
            .ToList();
    }
}
