using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FunctionsPortal.Jobs;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Operations;

/// <summary>
/// Timer function: finds every <c>*-poison</c> queue, records its depth as a metric, and logs each parked message
/// once (a table remembers what was reported), so a message that failed all its retries is never silently dropped.
/// Running twice changes nothing: a message already reported is not reported again.
/// </summary>
internal sealed partial class PoisonQueueMonitor(
    PortalStorage storage,
    PoisonQueueTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<PoisonQueueMonitor> logger) : IFunctionJob
{
    public const string FunctionName = "PoisonQueueMonitor";
    public const string ReportsTable = "poisonreports";

    /// <summary>Upper bound per queue and run; the depth metric still counts everything.</summary>
    internal const int MaxMessagesPerQueue = 1000;
    private const int BodyPreviewChars = 200;

    /// <summary>Messages are received (peek shows only 32) and made visible again right after; this bounds a crash's effect.</summary>
    private static readonly TimeSpan InspectionLease = TimeSpan.FromSeconds(30);

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var reports = storage.GetTable(ReportsTable);
        int queues = 0, parked = 0, reported = 0;
        var prefix = storage.ResourcePrefix.Length == 0 ? null : storage.ResourcePrefix;

        await foreach (var item in storage.Queues.GetQueuesAsync(prefix: prefix, cancellationToken: cancellationToken))
        {
            if (!item.Name.EndsWith(QueueTriggerSettings.PoisonSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            queues++;
            var queue = storage.Queues.GetQueueClient(item.Name);
            var depth = (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            telemetry.RecordPoisonDepth(item.Name, depth);

            foreach (var message in await InspectAsync(queue, cancellationToken))
            {
                parked++;
                var preview = Preview(message.Body);
                var isNew = await reports.TryAddAsync(new PoisonReportEntity
                {
                    PartitionKey = item.Name,
                    RowKey = message.MessageId,
                    InsertedOn = message.InsertedOn,
                    DequeueCount = message.DequeueCount,
                    FirstReportedAt = timeProvider.GetUtcNow(),
                    BodyPreview = preview,
                }, cancellationToken);
                if (isNew)
                {
                    reported++;
                    telemetry.RecordPoisonReported(item.Name);
                    LogParked(item.Name, message.MessageId, message.InsertedOn, preview);
                    invocation.Log($"Poison message {message.MessageId} in {item.Name}, queued {message.InsertedOn:O}");
                }
            }

            if (depth > 0)
            {
                LogDepth(item.Name, depth);
            }
        }

        invocation.Log($"{queues} poison queue(s), {parked} parked message(s), {reported} newly reported");
    }

    private static async Task<List<QueueMessage>> InspectAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        var seen = new List<QueueMessage>();
        try
        {
            while (seen.Count < MaxMessagesPerQueue)
            {
                var batch = (await queue.ReceiveMessagesAsync(32, InspectionLease, cancellationToken)).Value;
                if (batch.Length == 0)
                {
                    break;
                }

                seen.AddRange(batch);
            }
        }
        finally
        {
            // Put everything back at once so operators and tools see the queue unchanged.
            await Task.WhenAll(seen.Select(message =>
                queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None)));
        }

        return seen;
    }

    private static string Preview(BinaryData body)
    {
        var text = body.ToString();
        return text.Length <= BodyPreviewChars ? text : string.Concat(text.AsSpan(0, BodyPreviewChars), "…");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Poison message {MessageId} parked in {PoisonQueue} (queued {InsertedOn:O}): {BodyPreview}")]
    private partial void LogParked(string poisonQueue, string messageId, DateTimeOffset? insertedOn, string bodyPreview);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{PoisonQueue} holds {Depth} message(s)")]
    private partial void LogDepth(string poisonQueue, int depth);
}
