using FunctionsPortal.Surveys;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>The earliest due date among a survey's open corrective actions (one range query on the vendor's actions).</summary>
public sealed class OpenActionDueDates(CorrectiveActionStore actions) : IOpenActionDueDates
{
    public async Task<DateOnly?> EarliestOpenDueAsync(string vendorId, string assignmentKey, CancellationToken cancellationToken)
    {
        var open = (await actions.ListForVendorAsync(vendorId, cancellationToken)).Where(action => action.AssignmentKey == assignmentKey && action.IsOpen).ToList();
        return open.Count == 0 ? null : open.Min(action => action.DueOn);
    }
}
