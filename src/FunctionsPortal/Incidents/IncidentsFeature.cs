using FunctionsPortal.Hosting;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Settings;
using FunctionsPortal.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Incidents;

public static class IncidentsFeature
{
    /// <summary>
    /// Incidents (漏えい等): reported by a vendor through its link or by staff, sealed as received, staff mailed at once;
    /// the PPC reporting clock from configuration (Incidents:Rules); daily deadline reminders; the staff API.
    /// </summary>
    public static IHostApplicationBuilder AddIncidents(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpJsonTypes(IncidentsJsonContext.Default);
        builder.Services.AddOptions<IncidentOptions>().BindConfiguration(IncidentOptions.SectionName).ValidateWith(new ValidateIncidentOptions()).ValidateOnStart();
        builder.Services.AddOptions<IncidentRules>().BindConfiguration(IncidentRules.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<IncidentRules>, IncidentRulesValidator>();
        builder.Services.AddStorageResource(StorageResourceKind.Table, IncidentStore.TableName);
        builder.Services.AddStorageResource(StorageResourceKind.Container, IncidentDocuments.ContainerName);
        builder.Services.AddSingleton<IncidentClock>();
        builder.Services.AddSingleton<IncidentStore>();
        builder.Services.AddSingleton<IncidentDocuments>();
        builder.Services.AddSingleton<IncidentSealer>();
        builder.Services.AddSingleton<IncidentReports>();
        builder.Services.AddSingleton<IncidentFollowUp>();
        builder.Services.AddSingleton<IMailComposer, IncidentMailComposer>();
        builder.Services.AddFunctionJob<IncidentRemindersJob>(IncidentRemindersJob.FunctionName);
        return builder;
    }

    public static IEndpointRouteBuilder MapIncidents(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapIncidentsApi();
        endpoints.MapIncidentFollowUpApi();
        return endpoints;
    }
}
