using FunctionsPortal.Jobs;

namespace FunctionsPortal.Surveys;

/// <summary>Timer function: creates the assignments that are due (tier plans, campaigns, subcontractor requests) and queues their invitations.</summary>
internal sealed class PlanSurveysJob(SurveyPlanner planner) : IFunctionJob
{
    public const string FunctionName = "PlanSurveys";

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var report = await planner.PlanAsync(cancellationToken);
        invocation.Log($"{report.Due} due, {report.Created} created, {report.Queued} invitations queued, {report.RecipientProblems} recipient problems, {report.AlreadySurveyed} already surveyed in their period");
    }
}
