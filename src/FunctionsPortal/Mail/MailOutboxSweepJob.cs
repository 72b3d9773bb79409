using FunctionsPortal.Jobs;

namespace FunctionsPortal.Mail;

/// <summary>
/// Timer function: drives outbox rows that are due and that no live worker holds — mail deferred by throttling or
/// an outage, or abandoned by a crashed worker — then lets each <see cref="IOutboxReconciler"/> re-request mail that
/// never reached the outbox, so nothing waits forever on a lost queue message.
/// </summary>
internal sealed class MailOutboxSweepJob(MailOutbox outbox, IEnumerable<IOutboxReconciler> reconcilers) : IFunctionJob
{
    public const string FunctionName = "MailOutboxSweep";
    private const int BatchSize = 200;

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var due = await outbox.DueAsync(BatchSize, cancellationToken);
        var sent = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (row, token) =>
        {
            if ((await outbox.DriveAsync(row.Owner, row.Kind, token)).IsSent)
            {
                Interlocked.Increment(ref sent);
            }
        });

        var requested = 0;
        foreach (var reconciler in reconcilers)
        {
            requested += await reconciler.ReconcileAsync(cancellationToken);
        }

        invocation.Log($"{due.Count} due outbox rows driven, {sent} sent, {requested} missing mails requested again");
    }
}
