namespace FunctionsPortal.Surveys;

/// <summary>
/// Told after assignments are stored (created, or changed under their ETag), so read models such as the dashboard's
/// summaries follow without a scan. Called after the write: a crash in between is healed by the reader's own rebuild.
/// </summary>
public interface IAssignmentChangeSink
{
    Task ChangedAsync(IReadOnlyList<Assignment> stored, CancellationToken cancellationToken);
}
