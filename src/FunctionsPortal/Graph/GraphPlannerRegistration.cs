using Azure.Core;
using Azure.Identity;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Settings;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Graph;

public static class GraphPlannerRegistration
{
    /// <summary>
    /// Registers <see cref="GraphPlannerTaskBoard"/> (as itself) with its <c>GraphPlanner</c> options and the start-up
    /// check that Graph:PlannerPlanId and Graph:PlannerBucketId come together. Uses a registered <see cref="TokenCredential"/>,
    /// else DefaultAzureCredential. AddGraph makes it the <see cref="ITaskBoard"/> when both ids are configured.
    /// </summary>
    public static IServiceCollection AddGraphPlannerTaskBoard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GraphPlannerOptions>().BindConfiguration(GraphPlannerOptions.SectionName).ValidateWith(new ValidateGraphPlannerOptions()).ValidateOnStart();
        services.AddOptions<GraphOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphOptions>, PlannerIdsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton<GraphPlannerTaskBoard>();
        return services;
    }
}
