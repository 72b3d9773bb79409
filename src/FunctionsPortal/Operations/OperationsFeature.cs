using FunctionsPortal.Jobs;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Operations;

public static class OperationsFeature
{
    /// <summary>Keeping the platform honest: the poison-queue monitor.</summary>
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<PoisonQueueTelemetry>();
        builder.Services.AddFunctionJob<PoisonQueueMonitor>(PoisonQueueMonitor.FunctionName);
        builder.Services.AddStorageResource(StorageResourceKind.Table, PoisonQueueMonitor.ReportsTable);
        return builder;
    }
}
