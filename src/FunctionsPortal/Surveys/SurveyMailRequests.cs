using System.Text.Json;
using Azure.Storage.Queues;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Queue "survey-mail": one message per mail to send, or per batch of the same mail to up to <see cref="BatchSize"/>
/// assignments of one cycle (fan-out), handled by the <c>SendSurveyMail</c> function. Messages may arrive twice; the
/// outbox makes the second one a no-op.
/// </summary>
public sealed class SurveyMailRequests(PortalStorage storage)
{
    public const string QueueName = "survey-mail";

    /// <summary>
    /// Assignments per batched message: a batch is read in one query, its sent invitations recorded in one transaction,
    /// and it costs one message to queue, receive and delete. Small enough that a batch's mails finish in seconds.
    /// </summary>
    public const int BatchSize = 32;

    private QueueClient Queue => storage.GetQueue(QueueName);

    public Task EnqueueAsync(SurveyMailMessage message, CancellationToken cancellationToken, TimeSpan? delay = null) =>
        Queue.SendMessageAsync(JsonSerializer.Serialize(message, JsonSerializerOptions.Web), visibilityTimeout: delay, cancellationToken: cancellationToken);

    /// <summary>
    /// Enqueues many mails with bounded parallelism (a campaign can fan out to thousands): the same mail to assignments of
    /// one cycle goes in batches of consecutive keys, so a batch's records are neighbours in storage.
    /// </summary>
    public Task EnqueueManyAsync(IEnumerable<SurveyMailMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var batches = messages.SelectMany(message => message.Keys.Select(key => (Key: key, message.Mail)))
            .DistinctBy(pair => (pair.Key, pair.Mail))
            .GroupBy(pair => (pair.Mail, Cycle: AssignmentKey.Parse(pair.Key)?.Cycle ?? pair.Key))
            .SelectMany(group => group.Select(pair => pair.Key).Order(StringComparer.Ordinal).Chunk(BatchSize)
                .Select(keys => new SurveyMailMessage(keys[0], group.Key.Mail, keys.Length > 1 ? keys[1..] : null)));
        return Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (message, token) => await EnqueueAsync(message, token));
    }
}

/// <param name="Assignment">The assignment key.</param>
/// <param name="Mail">Which mail: "invitation", "resend-2", "reminder-7", "overdue-vendor", "overdue-owner".</param>
/// <param name="Batch">More assignments of the same cycle that get the same mail (in key order), or null for one.</param>
public sealed record SurveyMailMessage(
    string Assignment,
    string Mail,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Batch = null)
{
    /// <summary>Every assignment the message names: <see cref="Assignment"/>, then the batch.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> Keys => [Assignment, .. Batch ?? []];
}
