using FunctionsPortal.Storage;

namespace FunctionsPortal.DemoData;

public static class DemoDataFeature
{
    /// <summary>Demo vendors for the local start command (off unless DemoData:Enabled).</summary>
    public static IHostApplicationBuilder AddDemoData(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DemoDataOptions>().BindConfiguration(DemoDataOptions.SectionName);
        builder.Services.AddSingleton<DemoHistory>();
        builder.Services.AddSingleton<DemoTrends>();
        builder.Services.AddSingleton<DemoDataSeeder>();
        if (builder.Configuration.GetValue<bool>($"{DemoDataOptions.SectionName}:{nameof(DemoDataOptions.Enabled)}"))
        {
            // Only when on: constructing the seeder builds the planner, the survey links and the Key Vault client, before a cold instance listens.
            builder.Services.AddHostedService(services => services.GetRequiredService<DemoDataSeeder>());
        }

        builder.Services.AddStorageResource(StorageResourceKind.Table, DemoDataSeeder.MetadataTable);
        return builder;
    }
}
