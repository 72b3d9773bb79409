using FunctionsPortal.Checklists;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Responses;
using FunctionsPortal.Reviews;
using FunctionsPortal.Submissions;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// A vendor whose submission was accepted with findings, so it has corrective actions: TEC-03 answered × with a reason
/// and a plan (an open action), TEC-12 answered × asking us to accept the residual risk (an action under risk review).
/// </summary>
public static class ActionScenario
{
    public const string PlannedItem = "TEC-03";
    public const string RiskItem = "TEC-12";

    public static async Task<(InvitedVendor Invited, CorrectiveAction Open, CorrectiveAction RiskReview)> AcceptedWithFindingsAsync(
        IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var invited = await SurveyScenario.InviteAsync(services, cancellationToken);
        await SurveyScenario.CompleteDraftAsync(services, invited, cancellationToken);
        var plannedOn = DateOnly.FromDateTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime).AddDays(60);
        await services.GetRequiredService<DraftStore>().UpdateAsync(invited.Assignment.Key, draft => draft with
        {
            Answers = new Dictionary<string, ItemAnswer>(draft.Answers)
            {
                [PlannedItem] = new ItemAnswer { Status = StatusAnswers.NotDone, Reason = "USB制御ソフトの導入前のため", PlannedOn = plannedOn, Measure = "USB制御ソフトを導入する" },
                [RiskItem] = new ItemAnswer { Status = StatusAnswers.NotDone, Reason = "閉域網のみで運用しているため", AcceptRisk = true },
            },
        }, cancellationToken);
        var sealedOutcome = await SurveyScenario.SealAsync(services, invited, cancellationToken);
        if (sealedOutcome.Status != SealStatus.Sealed)
        {
            throw new InvalidOperationException($"Sealing failed: {sealedOutcome.Status}");
        }

        await services.GetRequiredService<ReviewDecisions>().AcceptAsync(invited.Assignment.Key, "reviewer@our-company.example.jp", null, cancellationToken);
        var actions = await services.GetRequiredService<CorrectiveActionStore>().ListForVendorAsync(invited.VendorId, cancellationToken);
        return (invited, actions.Single(action => action.ItemId == PlannedItem), actions.Single(action => action.ItemId == RiskItem));
    }
}
