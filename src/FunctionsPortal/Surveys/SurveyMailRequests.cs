using System.Text.Json;
using Azure.Storage.Queues;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Queue "survey-mail": one message per mail to send (fan-out), handled by the <c>SendSurveyMail</c> function.
/// Messages may arrive twice; the outbox makes the second one a no-op.
/// </summary>
public sealed class SurveyMailRequests(PortalStorage storage)
{
    public const string QueueName = "survey-mail";

    private QueueClient Queue => storage.GetQueue(QueueName);

    public Task EnqueueAsync(SurveyMailMessage message, CancellationToken cancellationToken, TimeSpan? delay = null) =>
        Queue.SendMessageAsync(JsonSerializer.Serialize(message, JsonSerializerOptions.Web), visibilityTimeout: delay, cancellationToken: cancellationToken);

    /// <summary>Enqueues many messages with bounded parallelism (a campaign can fan out to thousands).</summary>
    public Task EnqueueManyAsync(IEnumerable<SurveyMailMessage> messages, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (message, token) => await EnqueueAsync(message, token));
}

/// <param name="Assignment">The assignment key.</param>
/// <param name="Mail">Which mail: "invitation", "resend-2", "reminder-7", "overdue-vendor", "overdue-owner".</param>
public sealed record SurveyMailMessage(string Assignment, string Mail);
