using FunctionsPortal.Hosting;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Settings;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Surveys;

public static class SurveysFeature
{
    /// <summary>Assignments, campaigns, planning, links, survey mail (invitations, reminders, escalation) and their API.</summary>
    public static IHostApplicationBuilder AddSurveys(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpJsonTypes(SurveysJsonContext.Default);
        builder.Services.AddOptions<SurveyOptions>()
            .BindConfiguration(SurveyOptions.SectionName)
            .ValidateWith(new ValidateSurveyOptions())
            .ValidateOnStart();
        builder.Services.AddSingleton<AssignmentStore>();
        builder.Services.AddSingleton<CampaignStore>();
        builder.Services.AddSingleton<PeriodClaims>();
        builder.Services.AddSingleton<SurveyLinks>();
        builder.Services.AddSingleton<VendorStamps>();
        builder.Services.AddSingleton<Vendors.IVendorChangeSink>(services => services.GetRequiredService<VendorStamps>());
        builder.Services.AddSingleton<SurveyMailRequests>();
        builder.Services.AddSingleton<SurveyPlanner>();
        builder.Services.AddSingleton<CampaignRequests>();
        builder.Services.AddSingleton<AssignmentActions>();
        builder.Services.AddSingleton<PortalLetters>();
        builder.Services.AddSingleton<IMailComposer, SurveyMailComposer>();
        builder.Services.AddSingleton<SurveyTelemetry>();
        builder.Services.AddSingleton<IOutboxReconciler, InvitationReconciler>();
        builder.Services.AddFunctionJob<PlanSurveysJob>(PlanSurveysJob.FunctionName);
        builder.Services.AddFunctionJob<SendSurveyMailJob>(SendSurveyMailJob.FunctionName);
        builder.Services.AddFunctionJob<SendRemindersJob>(SendRemindersJob.FunctionName);
        builder.Services.AddStorageResource(StorageResourceKind.Table, AssignmentStore.TableName);
        builder.Services.AddStorageResource(StorageResourceKind.Table, VendorCycleIndex.TableName);
        builder.Services.AddStorageResource(StorageResourceKind.Table, CampaignStore.TableName);
        builder.Services.AddStorageResource(StorageResourceKind.Table, PeriodClaims.TableName);
        builder.Services.AddStorageResource(StorageResourceKind.Table, SurveyLinks.TableName);
        builder.Services.AddStorageResource(StorageResourceKind.Queue, SurveyMailRequests.QueueName);
        return builder;
    }

    public static IEndpointRouteBuilder MapSurveys(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapSurveysApi();
        return endpoints;
    }
}
