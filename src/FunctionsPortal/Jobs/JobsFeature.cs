using FunctionsPortal.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Jobs;

public static class JobsFeature
{
    /// <summary>
    /// The timer/queue function runtime: the catalog of function.json files, the invoker, and — in standalone
    /// mode — the in-process scheduler and queue poller that stand in for the Functions host.
    /// </summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<JobsOptions>, FunctionCatalogValidator>();
        builder.Services.AddSingleton(services => FunctionCatalog.Load(services.GetRequiredService<IOptions<JobsOptions>>().Value.AppRoot));
        builder.Services.AddSingleton<InvocationTelemetry>();
        builder.Services.AddSingleton<FunctionInvoker>();

        var mode = HostingMode.Detect(builder.Configuration);
        var runInProcess = builder.Configuration.GetValue($"{JobsOptions.SectionName}:{nameof(JobsOptions.RunInProcess)}", defaultValue: true);
        if (!mode.IsFunctionsHost && runInProcess)
        {
            builder.Services.AddHostedService<TimerScheduler>();
            builder.Services.AddHostedService<QueuePoller>();
        }

        return builder;
    }

    /// <summary>Registers the job that runs <paramref name="functionName"/> (its folder holds the function.json).</summary>
    public static IServiceCollection AddFunctionJob<TJob>(this IServiceCollection services, string functionName)
        where TJob : class, IFunctionJob
    {
        services.AddScoped<TJob>();
        services.AddSingleton(new FunctionJobRegistration(functionName, typeof(TJob)));
        return services;
    }

    /// <summary>Under the Functions host only: the host's invocation endpoint for timer and queue functions.</summary>
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetRequiredService<HostingMode>().IsFunctionsHost)
        {
            endpoints.MapFunctionInvocations();
        }

        return endpoints;
    }
}
