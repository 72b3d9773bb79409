using FunctionsPortal.Hosting;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Reviews;
using FunctionsPortal.Settings;
using FunctionsPortal.Storage;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.CorrectiveActions;

public static class CorrectiveActionsFeature
{
    /// <summary>
    /// Findings become corrective actions when a submission is accepted (or sealed), each with a task on the board
    /// (Planner, or the local task list), the vendor's remediation and staff's verification; the ○/△/× ledger.
    /// </summary>
    public static IHostApplicationBuilder AddCorrectiveActions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpJsonTypes(CorrectiveActionsJsonContext.Default);
        builder.Services.AddOptions<CorrectiveActionOptions>().BindConfiguration(CorrectiveActionOptions.SectionName).ValidateWith(new ValidateCorrectiveActionOptions()).ValidateOnStart();
        builder.Services.AddStorageResource(StorageResourceKind.Table, CorrectiveActionStore.TableName);
        builder.Services.AddSingleton<CorrectiveActionStore>();
        builder.Services.AddSingleton<ActionRaiser>();
        builder.Services.AddSingleton<IAcceptedSubmissionSink>(services => services.GetRequiredService<ActionRaiser>());
        builder.Services.AddSingleton<ISealedSubmissionSink>(services => services.GetRequiredService<ActionRaiser>());
        // After the raiser's sinks: the vendor's mail about its actions is queued once they exist.
        builder.AddRemediation();
        builder.Services.AddSingleton<IActionTaskEvents, ActionTaskEvents>();
        builder.AddCorrectiveActionTasks();
        builder.Services.AddSingleton<IActionTaskOutbox>(services => services.GetRequiredService<ActionTasks>());
        builder.Services.AddSingleton<IMailComposer, ActionMailComposer>();
        builder.Services.AddSingleton<IOpenActionDueDates, OpenActionDueDates>();
        builder.Services.AddFunctionJob<FollowUpActionsJob>(FollowUpActionsJob.FunctionName);
        return builder;
    }

    public static IEndpointRouteBuilder MapCorrectiveActions(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapCorrectiveActionsApi();
        endpoints.MapRemediationApi();
        return endpoints;
    }
}
