using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FunctionsPortal.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Jobs;

/// <summary>
/// Standalone mode's stand-in for the host's queue triggers, with the same semantics from host.json: a failed
/// message becomes visible again after <c>visibilityTimeout</c>, and after <c>maxDequeueCount</c> attempts it is
/// moved to <c>&lt;queue&gt;-poison</c> — never dropped.
/// </summary>
internal sealed partial class QueuePoller(
    FunctionCatalog catalog,
    FunctionInvoker invoker,
    PortalStorage storage,
    StorageReadiness readiness,
    IConfiguration configuration,
    IOptions<JobsOptions> options,
    TimeProvider timeProvider,
    ILogger<QueuePoller> logger) : BackgroundService
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var functions = catalog.Functions.Where(function => function.Kind == TriggerKind.Queue && invoker.IsRegistered(function.Name)).ToList();
        if (functions.Count == 0)
        {
            return;
        }

        await readiness.WhenReadyAsync(stoppingToken);
        await Task.WhenAll(functions.Select(function => PollAsync(function, stoppingToken)));
    }

    private async Task PollAsync(FunctionDefinition function, CancellationToken stoppingToken)
    {
        var settings = catalog.QueueSettings;
        var queueName = AppSettingReferences.Resolve(function.Trigger.GetString("queueName")!, configuration);
        // The resource prefix applies here as everywhere (it is empty under the Functions host, where names must match).
        var queue = storage.GetQueue(queueName);
        var delay = MinPollingInterval;
        // Like the host: up to batchSize + batchSize/2 messages in flight; a new batch is fetched once no more than
        // half a batch is still running (host.json newBatchThreshold's default).
        var threshold = settings.BatchSize / 2;
        using var slots = new SemaphoreSlim(settings.BatchSize + threshold);
        var running = new List<Task>();
        LogPolling(function.Name, queueName, settings.MaxDequeueCount);
        var created = false;

        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(task => task.IsCompleted);
            if (running.Count > threshold)
            {
                await Task.WhenAny(running);
                continue;
            }

            QueueMessage[] messages;
            try
            {
                // Once, and again only after the queue was found missing: not a round trip per poll.
                if (!created)
                {
                    await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                    created = true;
                }

                messages = (await queue.ReceiveMessagesAsync(settings.BatchSize, options.Value.QueueMessageLease, stoppingToken)).Value;
            }
            catch (RequestFailedException exception) when (exception.Status == 404 && !stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(exception, queueName);
                created = false;
                messages = [];
            }
            // Storage hiccups (Azurite restarting) must not stop the poller: log, back off, poll again.
            catch (Exception exception) when ((exception is RequestFailedException || StorageRetry.IsTransient(exception)) && !stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(exception, queueName);
                messages = [];
            }

            if (messages.Length == 0)
            {
                await Task.Delay(delay, timeProvider, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                continue;
            }

            delay = MinPollingInterval;
            foreach (var message in messages)
            {
                await slots.WaitAsync(stoppingToken);
                running.Add(RunAsync(message));
            }
        }

        await Task.WhenAll(running);

        async Task RunAsync(QueueMessage message)
        {
            try
            {
                await ProcessAsync(function, queue, message, settings, stoppingToken);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    private async Task ProcessAsync(FunctionDefinition function, QueueClient queue, QueueMessage message, QueueTriggerSettings settings, CancellationToken cancellationToken)
    {
        var receipt = message.PopReceipt;
        try
        {
            if (message.DequeueCount > settings.MaxDequeueCount)
            {
                // Already tried often enough (e.g. the process died mid-run each time): park it without another try.
                await MoveToPoisonAsync(function, queue, message, receipt, cancellationToken);
                return;
            }

            InvocationOutcome outcome;
            (outcome, receipt) = await InvokeRenewingAsync(function, queue, message, cancellationToken);
            if (outcome.Succeeded)
            {
                await queue.DeleteMessageAsync(message.MessageId, receipt, cancellationToken);
            }
            else if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(function, queue, message, receipt, cancellationToken);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: cancellationToken);
                LogRetrying(function.Name, message.MessageId, message.DequeueCount, settings.MaxDequeueCount);
            }
        }
        // Storage gone mid-message (or the pop receipt expired): the message reappears after its lease and is
        // processed again; nothing is lost, and the poller itself must keep running.
        catch (Exception exception) when ((exception is RequestFailedException || StorageRetry.IsTransient(exception)) && !cancellationToken.IsCancellationRequested)
        {
            LogSettleFailed(exception, function.Name, message.MessageId);
        }
    }

    /// <summary>
    /// Runs the job; while it runs, the message's invisibility is renewed at half its lease (each renewal gives a new pop
    /// receipt, returned for settling), so a long batch is never handed to a second worker meanwhile.
    /// </summary>
    private async Task<(InvocationOutcome Outcome, string PopReceipt)> InvokeRenewingAsync(FunctionDefinition function, QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        var lease = options.Value.QueueMessageLease;
        var receipt = message.PopReceipt;
        var work = invoker.InvokeAsync(function.Name, Guid.NewGuid().ToString(), BuildPayload(function, message), "queue", cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (!work.IsCompleted)
        {
            var renewal = Task.Delay(lease / 2, timeProvider, stop.Token);
            if (await Task.WhenAny(work, renewal) == work)
            {
                break;
            }

            try
            {
                receipt = (await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: lease, cancellationToken: cancellationToken)).Value.PopReceipt;
                LogRenewed(function.Name, message.MessageId, lease);
            }
            catch (Exception exception) when ((exception is RequestFailedException || StorageRetry.IsTransient(exception)) && !cancellationToken.IsCancellationRequested)
            {
                // The job keeps its slot until it ends (never abandoned mid-run); the message may reappear, which the job tolerates.
                LogRenewalFailed(exception, function.Name, message.MessageId);
                break;
            }
        }

        await stop.CancelAsync();
        return (await work, receipt);
    }

    private async Task MoveToPoisonAsync(FunctionDefinition function, QueueClient queue, QueueMessage message, string popReceipt, CancellationToken cancellationToken)
    {
        var poison = storage.Queues.GetQueueClient(queue.Name + QueueTriggerSettings.PoisonSuffix);
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        // Copy first, then delete: a crash in between leaves a duplicate in the poison queue, never a lost message.
        await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken);
        LogPoisoned(function.Name, message.MessageId, message.DequeueCount, poison.Name);
    }

    private InvocationPayload BuildPayload(FunctionDefinition function, QueueMessage message)
    {
        var now = timeProvider.GetUtcNow();
        return new InvocationPayload(
            new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase)
            {
                [function.Trigger.Name] = InvocationPayload.Unwrap(JsonSerializer.SerializeToElement(message.Body.ToString())),
            },
            new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase)
            {
                ["DequeueCount"] = JsonSerializer.SerializeToElement(message.DequeueCount),
                ["Id"] = JsonSerializer.SerializeToElement(message.MessageId),
                ["PopReceipt"] = JsonSerializer.SerializeToElement(message.PopReceipt),
                ["InsertionTime"] = JsonSerializer.SerializeToElement(message.InsertedOn),
                ["ExpirationTime"] = JsonSerializer.SerializeToElement(message.ExpiresOn),
                ["NextVisibleTime"] = JsonSerializer.SerializeToElement(message.NextVisibleOn),
                ["sys"] = JsonSerializer.SerializeToElement(new { MethodName = function.Name, UtcNow = now, RandGuid = Guid.NewGuid() }),
            });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue function {FunctionName} polls {QueueName} (max dequeue count {MaxDequeueCount})")]
    private partial void LogPolling(string functionName, string queueName, int maxDequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling {QueueName} failed; backing off")]
    private partial void LogPollFailed(Exception exception, string queueName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FunctionName} failed on message {MessageId} (attempt {DequeueCount} of {MaxDequeueCount}); it will be retried")]
    private partial void LogRetrying(string functionName, string messageId, long dequeueCount, int maxDequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "{FunctionName}: message {MessageId} failed {DequeueCount} times and was moved to {PoisonQueue}")]
    private partial void LogPoisoned(string functionName, string messageId, long dequeueCount, string poisonQueue);

    [LoggerMessage(Level = LogLevel.Information, Message = "{FunctionName}: message {MessageId} still running; kept invisible for another {Lease}")]
    private partial void LogRenewed(string functionName, string messageId, TimeSpan lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FunctionName}: could not keep message {MessageId} invisible while it runs; it may be delivered again")]
    private partial void LogRenewalFailed(Exception exception, string functionName, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FunctionName}: could not settle message {MessageId}; it will reappear and be retried")]
    private partial void LogSettleFailed(Exception exception, string functionName, string messageId);
}
