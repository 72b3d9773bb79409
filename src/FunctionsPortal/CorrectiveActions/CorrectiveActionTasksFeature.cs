using Azure.Core;
using Azure.Identity;
using FunctionsPortal.Graph;
using FunctionsPortal.Jobs;
using FunctionsPortal.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.CorrectiveActions;

public static class CorrectiveActionTasksFeature
{
    /// <summary>
    /// The task side of corrective actions: the outbox (<see cref="ActionTasks"/>), the board — Planner when
    /// Graph:PlannerPlanId and Graph:PlannerBucketId are both set (one without the other fails start-up), else the local
    /// task list — and the SyncPlannerTasks timer. <see cref="IActionTaskEvents"/> is not registered here: the corrective
    /// actions register theirs.
    /// </summary>
    public static IHostApplicationBuilder AddCorrectiveActionTasks(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCorrectiveActionTasks();
        return builder;
    }

    /// <inheritdoc cref="AddCorrectiveActionTasks(IHostApplicationBuilder)"/>
    public static IServiceCollection AddCorrectiveActionTasks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ActionTaskOptions>().BindConfiguration(ActionTaskOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GraphPlannerOptions>().BindConfiguration(GraphPlannerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GraphOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphOptions>, PlannerIdsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton<LocalTaskBoard>();
        services.TryAddSingleton<GraphPlannerTaskBoard>();
        // Decided when first resolved, from validated options: the test host and Program.cs configure the same way.
        services.TryAddSingleton<ITaskBoard>(provider => GraphPlannerOptions.IsConfigured(provider.GetRequiredService<IOptions<GraphOptions>>().Value)
            ? provider.GetRequiredService<GraphPlannerTaskBoard>()
            : provider.GetRequiredService<LocalTaskBoard>());
        services.TryAddSingleton<ActionTasks>();
        services.AddFunctionJob<SyncPlannerTasksJob>(SyncPlannerTasksJob.FunctionName);
        services.AddStorageResource(StorageResourceKind.Table, ActionTasks.TableName);
        services.AddStorageResource(StorageResourceKind.Table, LocalTaskBoard.TableName);
        return services;
    }
}
