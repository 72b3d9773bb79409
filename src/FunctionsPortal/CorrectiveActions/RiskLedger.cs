namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// One vendor's ○/△/× ledger (seed 004): what is still at risk, what the vendor plans to do by when (and which plans
/// are overdue), which residual risks we accepted (who, until when), and what was closed. Built from the vendor's
/// actions in one range query.
/// </summary>
public sealed record RiskLedger(
    string VendorId,
    DateOnly AsOf,
    IReadOnlyList<LedgerEntry> OpenRisks,
    IReadOnlyList<LedgerEntry> Plans,
    IReadOnlyList<LedgerEntry> AcceptedRisks,
    IReadOnlyList<LedgerEntry> Closed)
{
    public int Overdue => OpenRisks.Count(entry => entry.Overdue) + Plans.Count(entry => entry.Overdue);

    public static RiskLedger For(string vendorId, IReadOnlyList<CorrectiveAction> actions, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(actions);
        LedgerEntry Entry(CorrectiveAction action) => new(
            action.Id, action.ItemId, action.ItemText.Ja, action.ItemText.En, action.Finding, action.Answer, action.Severity, action.Status, action.DueOn,
            action.IsOverdue(today) || (action.Status == ActionStatuses.RiskAccepted && action.RiskAcceptance?.Until < today),
            action.Plan?.PlannedOn, action.Plan?.Measure, action.Plan?.Reason, action.RiskAcceptance, action.AssignmentKey);
        var ordered = actions.OrderBy(action => action.DueOn).ThenBy(action => action.ItemId, StringComparer.Ordinal).ToList();
        return new RiskLedger(
            vendorId,
            today,
            ordered.Where(action => action.IsOpen && action.Status != ActionStatuses.Planned).Select(Entry).ToList(),
            ordered.Where(action => action.Status == ActionStatuses.Planned || (action.IsOpen && action.Plan?.PlannedOn is not null)).Select(Entry).ToList(),
            ordered.Where(action => action.Status == ActionStatuses.RiskAccepted).Select(Entry).ToList(),
            ordered.Where(action => action.Status == ActionStatuses.Verified).Select(Entry).ToList());
    }
}

/// <summary>One line of the ledger; <see cref="Overdue"/> when its due (or planned) date passed while open, or an accepted risk's period ended.</summary>
public sealed record LedgerEntry(
    string ActionId, string ItemId, string ItemJa, string ItemEn, string Finding, string Answer, string Severity, string Status, DateOnly DueOn, bool Overdue,
    DateOnly? PlannedOn, string? Measure, string? Reason, RiskAcceptance? RiskAcceptance, string AssignmentKey);
