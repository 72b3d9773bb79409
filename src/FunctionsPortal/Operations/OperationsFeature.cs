using FunctionsPortal.Jobs;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Operations;

public static class OperationsFeature
{
    /// <summary>Keeping the platform honest: the poison-queue monitor, poison queues on /healthz, and re-driving them.</summary>
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<PoisonQueueTelemetry>();
        builder.Services.AddSingleton<PoisonQueues>();
        builder.Services.AddHealthChecks().AddCheck<PoisonQueueHealthCheck>("poison-queues");
        builder.Services.AddFunctionJob<PoisonQueueMonitor>(PoisonQueueMonitor.FunctionName);
        builder.Services.AddStorageResource(StorageResourceKind.Table, PoisonQueueMonitor.ReportsTable);
        return builder;
    }

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapOperationsApi();
    }
}
