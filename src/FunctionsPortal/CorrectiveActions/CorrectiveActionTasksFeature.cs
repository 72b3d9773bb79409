using FunctionsPortal.Jobs;
using FunctionsPortal.Settings;
using FunctionsPortal.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsPortal.CorrectiveActions;

public static class CorrectiveActionTasksFeature
{
    /// <summary>
    /// The task side of corrective actions: the outbox (<see cref="ActionTasks"/>), the board — Planner when AddGraph
    /// registered it (Graph:PlannerPlanId and Graph:PlannerBucketId both set; one without the other fails start-up), else
    /// the local task list — and the SyncPlannerTasks timer. Call after AddGraph. <see cref="IActionTaskEvents"/> is not
    /// registered here: the corrective actions register theirs.
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
        // Once only: a second call (a test host on top of Program.cs) would register the timer's job twice.
        if (services.Any(descriptor => descriptor.ServiceType == typeof(ActionTasks)))
        {
            return services;
        }

        services.AddOptions<ActionTaskOptions>().BindConfiguration(ActionTaskOptions.SectionName).ValidateWith(new ValidateActionTaskOptions()).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LocalTaskBoard>();
        // AddGraph (called first) registered Planner if it is configured; otherwise the local task list.
        services.TryAddSingleton<ITaskBoard>(provider => provider.GetRequiredService<LocalTaskBoard>());
        services.AddSingleton<ActionTasks>();
        services.AddFunctionJob<SyncPlannerTasksJob>(SyncPlannerTasksJob.FunctionName);
        services.AddStorageResource(StorageResourceKind.Table, ActionTasks.TableName);
        services.AddStorageResource(StorageResourceKind.Table, LocalTaskBoard.TableName);
        return services;
    }
}
