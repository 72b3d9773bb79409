using FunctionsPortal.Scoring;

namespace FunctionsPortal.Submissions;

/// <summary>Told of every sealed version once its bookkeeping is done (again when the same draft is submitted twice: be idempotent).</summary>
public interface ISealedSubmissionSink
{
    Task SealedAsync(SealedEnvelope envelope, ScoreResult? score, CancellationToken cancellationToken);
}
