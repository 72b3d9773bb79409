using FunctionsPortal.Storage;

namespace FunctionsPortal.Vendors;

public static class VendorsFeature
{
    /// <summary>The vendor and subcontractor registry.</summary>
    public static IHostApplicationBuilder AddVendors(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<VendorStore>();
        builder.Services.AddStorageResource(StorageResourceKind.Table, VendorStore.TableName);
        return builder;
    }
}
