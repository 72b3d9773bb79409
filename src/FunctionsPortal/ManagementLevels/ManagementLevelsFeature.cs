using FunctionsPortal.Hosting;
using FunctionsPortal.Jobs;
using FunctionsPortal.Reviews;
using FunctionsPortal.Settings;
using FunctionsPortal.Storage;

namespace FunctionsPortal.ManagementLevels;

public static class ManagementLevelsFeature
{
    /// <summary>Seed 004's management levels: occurrences move a vendor to Level II or I, with themed checks sent automatically and an effectiveness check that ends the period.</summary>
    public static IHostApplicationBuilder AddManagementLevels(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpJsonTypes(ManagementLevelsJsonContext.Default);
        builder.Services.AddOptions<ManagementOptions>().BindConfiguration(ManagementOptions.SectionName).ValidateWith(new ValidateManagementOptions()).ValidateOnStart();
        builder.Services.AddStorageResource(StorageResourceKind.Table, ManagementStore.TableName);
        builder.Services.AddSingleton<ManagementStore>();
        builder.Services.AddSingleton<ManagementTracker>();
        builder.Services.AddSingleton<IAcceptedSubmissionSink>(services => services.GetRequiredService<ManagementTracker>());
        builder.Services.AddFunctionJob<SendManagedChecksJob>(SendManagedChecksJob.FunctionName);
        return builder;
    }

    public static IEndpointRouteBuilder MapManagementLevels(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapManagementLevelsApi();
        return endpoints;
    }
}
