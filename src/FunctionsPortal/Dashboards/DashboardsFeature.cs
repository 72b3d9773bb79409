using FunctionsPortal.Jobs;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.Dashboards;

public static class DashboardsFeature
{
    /// <summary>Cycle summaries kept as assignments change (the dashboard reads them, never the assignments), their nightly rebuild and its API.</summary>
    public static IHostApplicationBuilder AddDashboards(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<CycleSummaryStore>();
        builder.Services.AddSingleton<IAssignmentChangeSink>(services => services.GetRequiredService<CycleSummaryStore>());
        builder.Services.AddSingleton<SummaryRebuilder>();
        builder.Services.AddSingleton<CycleDashboard>();
        builder.Services.AddFunctionJob<RebuildSummariesJob>(RebuildSummariesJob.FunctionName);
        builder.Services.AddStorageResource(StorageResourceKind.Table, CycleSummaryStore.TableName);
        return builder;
    }

    public static IEndpointRouteBuilder MapDashboards(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapSummariesApi();
    }
}
