using FunctionsPortal.Reviews;
using FunctionsPortal.Scoring;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.Contracts;

/// <summary>Notes each accepted due-diligence survey in the vendor's contracts partition, where the activation gate reads it.</summary>
public sealed class DueDiligenceAcceptances(ContractStore store, TimeProvider clock) : IAcceptedSubmissionSink
{
    public Task AcceptedAsync(Assignment accepted, ScoreResult? score, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        return accepted.Kind == SurveyKinds.DueDiligence
            ? store.RecordDueDiligenceAcceptedAsync(accepted.VendorId, accepted.Key, clock.GetUtcNow(), by, cancellationToken)
            : Task.CompletedTask;
    }
}
