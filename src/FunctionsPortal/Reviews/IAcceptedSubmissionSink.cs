using FunctionsPortal.Scoring;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.Reviews;

/// <summary>Told of an accepted submission with its score as reviewers left it (reassessments applied); be idempotent.</summary>
public interface IAcceptedSubmissionSink
{
    Task AcceptedAsync(Assignment accepted, ScoreResult? score, string by, CancellationToken cancellationToken);
}
