using Azure.Storage.Queues;
using FunctionsPortal.Jobs;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Operations;

/// <summary>
/// The app's queue functions' <c>-poison</c> queues: how many messages each holds, and putting them back on their
/// queue once the cause is fixed (each message is processed again as new; the work it does is idempotent).
/// </summary>
internal sealed partial class PoisonQueues(PortalStorage storage, FunctionCatalog catalog, IConfiguration configuration, ILogger<PoisonQueues> logger)
{
    /// <summary>How many messages one re-drive moves at most (a second call moves the rest).</summary>
    public const int MaxPerRedrive = 1000;

    /// <summary>The logical names of the queues the app's functions are triggered by (e.g. <c>survey-mail</c>).</summary>
    public IReadOnlyList<string> TriggerQueues { get; } = catalog.Functions
        .Where(function => function.Kind == TriggerKind.Queue)
        .Select(function => AppSettingReferences.Resolve(function.Trigger.GetString("queueName")!, configuration))
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Messages parked per trigger queue (an approximate count; a poison queue that was never created holds none).</summary>
    public async Task<IReadOnlyList<PoisonQueueDepth>> DepthsAsync(CancellationToken cancellationToken)
    {
        var depths = await Task.WhenAll(TriggerQueues.Select(async queue =>
        {
            var poison = Poison(queue);
            var properties = await poison.ExistsAsync(cancellationToken) ? (await poison.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount : 0;
            return new PoisonQueueDepth(queue, poison.Name, properties);
        }));
        return depths;
    }

    /// <summary>Moves up to <see cref="MaxPerRedrive"/> parked messages back to their queue; null when the queue is not one of ours.</summary>
    public async Task<int?> RedriveAsync(string queue, CancellationToken cancellationToken)
    {
        if (!TriggerQueues.Contains(queue, StringComparer.Ordinal))
        {
            return null;
        }

        var poison = Poison(queue);
        if (!await poison.ExistsAsync(cancellationToken))
        {
            return 0;
        }

        var target = storage.GetQueue(queue);
        var moved = 0;
        while (moved < MaxPerRedrive)
        {
            var batch = (await poison.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromMinutes(1), cancellationToken: cancellationToken)).Value;
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                // Copy first, then delete: a crash in between leaves the message in both (processed twice, harmlessly), never lost.
                await target.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
                await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                moved++;
            }
        }

        LogRedriven(moved, poison.Name, target.Name);
        return moved;
    }

    private QueueClient Poison(string queue) => storage.Queues.GetQueueClient(storage.GetQueue(queue).Name + QueueTriggerSettings.PoisonSuffix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-drove {Count} messages from {PoisonQueue} back to {Queue}")]
    private partial void LogRedriven(int count, string poisonQueue, string queue);
}

public sealed record PoisonQueueDepth(string Queue, string PoisonQueue, long Messages);
