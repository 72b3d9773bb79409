using System.Globalization;
using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using Azure.Core;
using FunctionsPortal.Mail;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace FunctionsPortal.Graph;

/// <summary>
/// Sends mail from <see cref="GraphOptions.SenderMailbox"/> as draft → send → verify, with immutable ids so a draft id
/// stays valid after the message moves to Sent Items. Every failure becomes a <see cref="MailStep{T}"/>: nothing here
/// retries (the outbox does), at most <see cref="GraphMailOptions.MaxConcurrentRequests"/> calls are in flight, and
/// sends are paced to <see cref="GraphMailOptions.MessagesPerMinute"/>.
/// </summary>
public sealed partial class GraphMailTransport : IMailTransport, IDisposable
{
    public const string OutboxKeyHeader = "X-Portal-Outbox-Key";

    private const string PreferImmutableId = "IdType=\"ImmutableId\"";
    private static readonly string[] StatusFields = ["id", "isDraft", "sentDateTime"];

    private readonly string _sender;
    private readonly TimeSpan _requestTimeout;
    private readonly HttpClient _httpClient;
    private readonly GraphServiceClient _graph;
    private readonly SemaphoreSlim _inFlight;
    private readonly TokenBucketRateLimiter? _sendRate;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GraphMailTransport> _logger;

    public GraphMailTransport(
        IOptions<GraphMailOptions> options,
        IOptions<GraphOptions> graphOptions,
        TokenCredential credential,
        TimeProvider timeProvider,
        ILogger<GraphMailTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(graphOptions);
        ArgumentNullException.ThrowIfNull(credential);
        var settings = options.Value;
        _sender = string.IsNullOrWhiteSpace(graphOptions.Value.SenderMailbox)
            ? throw new InvalidOperationException("Graph:SenderMailbox is not set: Graph mail needs the mailbox it sends from.")
            : graphOptions.Value.SenderMailbox;
        _requestTimeout = settings.RequestTimeout;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _inFlight = new SemaphoreSlim(settings.MaxConcurrentRequests, settings.MaxConcurrentRequests);

        // The limiter keeps real time itself: even replenished by hand it measures the elapsed time with a Stopwatch,
        // so a TimeProvider cannot drive it.
        _sendRate = SendRateFor(settings.MessagesPerMinute) is { } sendRate ? new TokenBucketRateLimiter(sendRate) : null;

        _httpClient = GraphPipeline.CreateHttpClientWithoutRetries();
        _graph = new GraphServiceClient(_httpClient, GraphPipeline.CreateAuthenticationProvider(credential, settings.BaseUrl), settings.BaseUrl.ToString().TrimEnd('/'));
    }

    public string Name => "graph";

    public Task<MailStep<string>> CreateDraftAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var message = new Message
        {
            Subject = mail.Subject,
            // A Graph message carries one body: the HTML one. mail.TextBody serves the local outbox's .eml files only.
            Body = new ItemBody { ContentType = BodyType.Html, Content = mail.HtmlBody },
            ToRecipients = [Recipient(mail.To)],
            CcRecipients = [.. mail.Cc.Select(Recipient)],
            InternetMessageHeaders = [new InternetMessageHeader { Name = OutboxKeyHeader, Value = mail.OutboxKey }],
        };

        return CallAsync("create draft", mail.OutboxKey, async timeout =>
        {
            var draft = await _graph.Users[_sender].Messages.PostAsync(message, request => request.Headers.Add("Prefer", PreferImmutableId), timeout);
            if (string.IsNullOrEmpty(draft?.Id))
            {
                // Never seen; an orphan draft is harmless, a guessed id is not.
                return MailStep.RetryLater<string>("Graph created a draft but returned no id.");
            }

            LogDraftCreated(_logger, draft.Id, mail.OutboxKey);
            return MailStep.Done(draft.Id);
        }, notFound: null, cancellationToken);
    }

    public async Task<MailStep<bool>> SendDraftAsync(string draftId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(draftId);
        if (_sendRate is not null)
        {
            // Waits for a permit before taking a concurrency slot, so a paced send never blocks status checks.
            using var permit = await _sendRate.AcquireAsync(1, cancellationToken);
            if (!permit.IsAcquired)
            {
                var retryAfter = permit.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                return MailStep.RetryLater<bool>("Too many mails are waiting for the sender mailbox's send-rate limit.", retryAfter);
            }
        }

        return await CallAsync("send draft", draftId, async timeout =>
        {
            await _graph.Users[_sender].Messages[draftId].Send.PostAsync(request => request.Headers.Add("Prefer", PreferImmutableId), timeout);
            LogDraftSent(_logger, draftId);
            return MailStep.Done(true);
        }, notFound: null, cancellationToken);
    }

    public Task<MailStep<DraftStatus>> GetDraftStatusAsync(string draftId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(draftId);
        return CallAsync("read draft", draftId, async timeout =>
        {
            var message = await _graph.Users[_sender].Messages[draftId].GetAsync(request =>
            {
                request.Headers.Add("Prefer", PreferImmutableId);
                request.QueryParameters.Select = StatusFields;
            }, timeout);
            return message switch
            {
                null => MailStep.Done(DraftStatus.Missing),
                { IsDraft: true } => MailStep.Done(DraftStatus.Draft),
                { IsDraft: false } or { SentDateTime: not null } => MailStep.Done(DraftStatus.Sent),
                // Guessing "draft" could send it twice; guessing "sent" could lose it.
                _ => MailStep.RetryLater<DraftStatus>($"Graph did not say whether message {draftId} is still a draft."),
            };
        }, notFound: () => MailStep.Done(DraftStatus.Missing), cancellationToken);
    }

    public void Dispose()
    {
        _sendRate?.Dispose();
        _graph.Dispose();
        _httpClient.Dispose();
        _inFlight.Dispose();
    }

    /// <summary>
    /// Pacing for <paramref name="messagesPerMinute"/>: one token at a time (no bursts), replenished at most every
    /// ~100 ms; <c>null</c> for 0 (unlimited). Waiters queue up to one minute's worth of sends.
    /// </summary>
    internal static TokenBucketRateLimiterOptions? SendRateFor(int messagesPerMinute)
    {
        if (messagesPerMinute <= 0)
        {
            return null;
        }

        var tokensPerPeriod = (int)Math.Ceiling(messagesPerMinute / 600.0);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokensPerPeriod,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromTicks(TimeSpan.FromMinutes(1).Ticks * tokensPerPeriod / messagesPerMinute),
            AutoReplenishment = true,
            QueueLimit = messagesPerMinute,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
    }

    private static Recipient Recipient(MailAddressee addressee) =>
        new() { EmailAddress = new EmailAddress { Address = addressee.Address, Name = addressee.Name } };

    /// <summary>One Graph call inside a concurrency slot and a timeout, its failures mapped to step outcomes.</summary>
    private async Task<MailStep<T>> CallAsync<T>(
        string operation,
        string subject,
        Func<CancellationToken, Task<MailStep<T>>> call,
        Func<MailStep<T>>? notFound,
        CancellationToken cancellationToken)
    {
        await _inFlight.WaitAsync(cancellationToken);
        try
        {
            using var timeout = new CancellationTokenSource(_requestTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                return await call(linked.Token);
            }
            catch (ApiException exception) when (exception.ResponseStatusCode == 404 && notFound is not null)
            {
                return notFound();
            }
            catch (ApiException exception)
            {
                return Classify<T>(operation, subject, exception);
            }
            catch (HttpRequestException exception)
            {
                LogRetryLater(_logger, exception, operation, subject, "Graph unreachable", null);
                return MailStep.RetryLater<T>($"Graph could not be reached ({exception.Message}).");
            }
            catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                LogRetryLater(_logger, exception, operation, subject, "timed out", null);
                return MailStep.RetryLater<T>($"Graph did not answer within {_requestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; the outcome is unknown.");
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private MailStep<T> Classify<T>(string operation, string subject, ApiException exception)
    {
        var status = exception.ResponseStatusCode;
        var error = (exception as ODataError)?.Error;
        var code = string.IsNullOrEmpty(error?.Code) ? $"HTTP {status.ToString(CultureInfo.InvariantCulture)}" : error.Code;
        var message = string.IsNullOrEmpty(error?.Message) ? exception.Message : error.Message;
        switch (status)
        {
            case 401 or 403:
                // An app registration or Exchange RBAC problem: nothing is decided about the mail itself.
                LogAccessRefused(_logger, exception, operation, subject, status, code);
                return MailStep.RetryLater<T>(
                    $"Graph refused access ({code}: {message}): the app's permissions (Mail.Send and Mail.ReadWrite on {_sender}) or its credentials are missing.");
            case 408 or 429 or >= 500:
                var retryAfter = RetryAfter(exception);
                LogRetryLater(_logger, exception, operation, subject, code, retryAfter);
                return MailStep.RetryLater<T>($"Graph is busy or unavailable ({code}: {message}).", retryAfter);
            case 400 when code.Contains("Recipient", StringComparison.OrdinalIgnoreCase):
                LogRejected(_logger, exception, operation, subject, status, code);
                return MailStep.Rejected<T>($"Exchange refused a recipient address: {message}");
            case >= 400:
                LogRejected(_logger, exception, operation, subject, status, code);
                return MailStep.Rejected<T>($"Graph refused to {operation} ({code}: {message}).");
            default:
                LogRetryLater(_logger, exception, operation, subject, code, null);
                return MailStep.RetryLater<T>($"Graph answered {operation} unexpectedly ({code}: {message}).");
        }
    }

    /// <summary>Retry-After in seconds or as an HTTP date; null when absent.</summary>
    private TimeSpan? RetryAfter(ApiException exception)
    {
        var value = exception.ResponseHeaders
            .Where(header => string.Equals(header.Key, "Retry-After", StringComparison.OrdinalIgnoreCase))
            .SelectMany(header => header.Value)
            .FirstOrDefault();
        if (!RetryConditionHeaderValue.TryParse(value, out var retryAfter))
        {
            return null;
        }

        return retryAfter.Delta ?? (retryAfter.Date is { } date ? Max(date - _timeProvider.GetUtcNow(), TimeSpan.Zero) : null);

        static TimeSpan Max(TimeSpan left, TimeSpan right) => left > right ? left : right;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Graph draft {DraftId} created for outbox row {OutboxKey}")]
    private static partial void LogDraftCreated(ILogger logger, string draftId, string outboxKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Graph draft {DraftId} sent")]
    private static partial void LogDraftSent(ILogger logger, string draftId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph {Operation} ({Subject}) must be retried later: {Reason}, retry after {RetryAfter}")]
    private static partial void LogRetryLater(ILogger logger, Exception exception, string operation, string subject, string reason, TimeSpan? retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph refused {Operation} ({Subject}): {Status} {Code}")]
    private static partial void LogRejected(ILogger logger, Exception exception, string operation, string subject, int status, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Graph refused access for {Operation} ({Subject}): {Status} {Code}; grant the app Mail.Send and Mail.ReadWrite on the sender mailbox")]
    private static partial void LogAccessRefused(ILogger logger, Exception exception, string operation, string subject, int status, string code);
}
