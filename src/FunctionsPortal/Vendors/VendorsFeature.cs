using FunctionsPortal.Hosting;
using FunctionsPortal.Settings;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Vendors;

public static class VendorsFeature
{
    /// <summary>The vendor and subcontractor registry, risk tiers, and its staff API.</summary>
    public static IHostApplicationBuilder AddVendors(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpJsonTypes(VendorsJsonContext.Default);
        builder.Services.AddOptions<RiskTierOptions>()
            .BindConfiguration(RiskTierOptions.SectionName)
            .ValidateWith(new ValidateRiskTierOptions())
            .ValidateOnStart();
        builder.Services.AddSingleton<VendorStore>();
        builder.Services.AddSingleton<RiskTiering>();
        builder.Services.AddSingleton<VendorRegistry>();
        builder.Services.AddSingleton<VendorScope>();
        builder.Services.AddSingleton<VendorImport>();
        builder.Services.AddHostedService<VendorListIndexBackfill>();
        builder.Services.AddStorageResource(StorageResourceKind.Table, VendorStore.TableName);
        return builder;
    }

    public static IEndpointRouteBuilder MapVendors(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapVendorsApi();
    }
}
