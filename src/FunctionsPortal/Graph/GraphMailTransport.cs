using System.Globalization;
using Azure.Core;
using FunctionsPortal.Mail;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace FunctionsPortal.Graph;

/// <summary>
/// Sends mail from the sender mailboxes (<see cref="GraphOptions.Mailboxes"/>) as draft → send → verify, with immutable
/// ids so a draft id stays valid after the message moves to Sent Items. A new draft goes to the mailbox the
/// <see cref="MailboxLimiter"/> chooses; the draft's mailbox comes back in <see cref="MailDraft"/> and every later step
/// goes to it. Every failure becomes a <see cref="MailStep{T}"/>: nothing here retries (the outbox does); each call
/// holds one of the mailbox's concurrency slots and each send a permit of its rate and daily cap, shared by every
/// instance; when there is none the step is <see cref="MailStepOutcome.Deferred"/> before any request is made.
/// </summary>
public sealed partial class GraphMailTransport : IMailTransport, IDisposable
{
    public const string OutboxKeyHeader = "X-Portal-Outbox-Key";

    private const string PreferImmutableId = "IdType=\"ImmutableId\"";
    private static readonly string[] StatusFields = ["id", "isDraft", "sentDateTime"];

    private readonly IReadOnlyList<string> _mailboxes;
    private readonly TimeSpan _requestTimeout;
    private readonly HttpClient _httpClient;
    private readonly GraphServiceClient _graph;
    private readonly MailboxLimiter _limiter;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GraphMailTransport> _logger;

    public GraphMailTransport(
        IOptions<GraphMailOptions> options,
        IOptions<GraphOptions> graphOptions,
        TokenCredential credential,
        MailboxLimiter limiter,
        TimeProvider timeProvider,
        ILogger<GraphMailTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(graphOptions);
        ArgumentNullException.ThrowIfNull(credential);
        var settings = options.Value;
        _mailboxes = graphOptions.Value.Mailboxes;
        if (_mailboxes.Count == 0)
        {
            throw new InvalidOperationException("Graph:SenderMailboxes (or Graph:SenderMailbox) is not set: Graph mail needs at least one mailbox to send from.");
        }

        _requestTimeout = settings.RequestTimeout;
        _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _httpClient = GraphPipeline.CreateHttpClientWithoutRetries();
        _graph = new GraphServiceClient(_httpClient, GraphPipeline.CreateAuthenticationProvider(credential, settings.BaseUrl), settings.BaseUrl.ToString().TrimEnd('/'));
    }

    public string Name => "graph";

    public async Task<MailStep<MailDraft>> CreateDraftAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var recipients = 1 + mail.Cc.Count;
        var (sender, full) = await _limiter.ChooseAsync(_mailboxes, recipients, cancellationToken);
        if (sender is null)
        {
            return Deferred<MailDraft>(full!);
        }

        var message = new Message
        {
            Subject = mail.Subject,
            // A Graph message carries one body: the HTML one. mail.TextBody serves the local outbox's .eml files only.
            Body = new ItemBody { ContentType = BodyType.Html, Content = mail.HtmlBody },
            ToRecipients = [Recipient(mail.To)],
            CcRecipients = [.. mail.Cc.Select(Recipient)],
            InternetMessageHeaders = [new InternetMessageHeader { Name = OutboxKeyHeader, Value = mail.OutboxKey }],
        };

        return await CallAsync(sender, "create draft", mail.OutboxKey, async timeout =>
        {
            var draft = await _graph.Users[sender].Messages.PostAsync(message, request => request.Headers.Add("Prefer", PreferImmutableId), timeout);
            if (string.IsNullOrEmpty(draft?.Id))
            {
                // Never seen; an orphan draft is harmless, a guessed id is not.
                return MailStep.RetryLater<MailDraft>("Graph created a draft but returned no id.");
            }

            LogDraftCreated(_logger, draft.Id, sender, mail.OutboxKey);
            return MailStep.Done(new MailDraft(draft.Id, sender, recipients));
        }, notFound: null, sendingTo: null, cancellationToken);
    }

    public Task<MailStep<bool>> SendDraftAsync(MailDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentException.ThrowIfNullOrEmpty(draft.Id);
        var sender = SenderOf(draft);
        return CallAsync(sender, "send draft", draft.Id, async timeout =>
        {
            await _graph.Users[sender].Messages[draft.Id].Send.PostAsync(request => request.Headers.Add("Prefer", PreferImmutableId), timeout);
            LogDraftSent(_logger, draft.Id, sender);
            return MailStep.Done(true);
        }, notFound: null, sendingTo: draft.Recipients, cancellationToken);
    }

    public Task<MailStep<DraftStatus>> GetDraftStatusAsync(MailDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentException.ThrowIfNullOrEmpty(draft.Id);
        var sender = SenderOf(draft);
        return CallAsync(sender, "read draft", draft.Id, async timeout =>
        {
            var message = await _graph.Users[sender].Messages[draft.Id].GetAsync(request =>
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
                _ => MailStep.RetryLater<DraftStatus>($"Graph did not say whether message {draft.Id} is still a draft."),
            };
        }, notFound: () => MailStep.Done(DraftStatus.Missing), sendingTo: null, cancellationToken);
    }

    public void Dispose()
    {
        _graph.Dispose();
        _httpClient.Dispose();
    }

    /// <summary>
    /// The mailbox the draft lives in, even one no longer configured (the draft exists nowhere else). Rows drafted before
    /// the mailbox was recorded had one mailbox only: the first one, <c>Graph:SenderMailbox</c> when it is set.
    /// </summary>
    private string SenderOf(MailDraft draft) => string.IsNullOrEmpty(draft.Mailbox) ? _mailboxes[0] : draft.Mailbox;

    private static MailStep<T> Deferred<T>(LimitDenial denial) => denial.RetryAfter is { } retryAfter
        ? MailStep.Deferred<T>(denial.Limit, denial.Detail, retryAfter)
        : MailStep.Rejected<T>(denial.Detail);

    private static Recipient Recipient(MailAddressee addressee) =>
        new() { EmailAddress = new EmailAddress { Address = addressee.Address, Name = addressee.Name } };

    /// <summary>
    /// One Graph call to <paramref name="sender"/> inside one of its concurrency slots and a timeout, its failures mapped
    /// to step outcomes; a send (<paramref name="sendingTo"/> recipients) also needs a permit of the mailbox's rate and
    /// daily cap, taken inside the slot right before the request so the pacing is what Exchange sees.
    /// </summary>
    private async Task<MailStep<T>> CallAsync<T>(
        string sender,
        string operation,
        string subject,
        Func<CancellationToken, Task<MailStep<T>>> call,
        Func<MailStep<T>>? notFound,
        int? sendingTo,
        CancellationToken cancellationToken)
    {
        var (slot, busy) = await _limiter.EnterAsync(sender, cancellationToken);
        if (slot is null)
        {
            return Deferred<T>(busy!);
        }

        try
        {
            if (sendingTo is { } recipients && await _limiter.AcquireSendAsync(sender, recipients, cancellationToken) is { } limited)
            {
                return Deferred<T>(limited);
            }

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
                return Classify<T>(sender, operation, subject, exception);
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
            await _limiter.ExitAsync(slot, cancellationToken);
        }
    }

    private MailStep<T> Classify<T>(string sender, string operation, string subject, ApiException exception)
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
                    $"Graph refused access ({code}: {message}): the app's permissions (Mail.Send and Mail.ReadWrite on {sender}) or its credentials are missing.");
            case 408 or 429 or >= 500:
                var retryAfter = GraphPipeline.RetryAfter(exception, _timeProvider.GetUtcNow());
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Graph draft {DraftId} created in {Mailbox} for outbox row {OutboxKey}")]
    private static partial void LogDraftCreated(ILogger logger, string draftId, string mailbox, string outboxKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Graph draft {DraftId} sent from {Mailbox}")]
    private static partial void LogDraftSent(ILogger logger, string draftId, string mailbox);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph {Operation} ({Subject}) must be retried later: {Reason}, retry after {RetryAfter}")]
    private static partial void LogRetryLater(ILogger logger, Exception exception, string operation, string subject, string reason, TimeSpan? retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph refused {Operation} ({Subject}): {Status} {Code}")]
    private static partial void LogRejected(ILogger logger, Exception exception, string operation, string subject, int status, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Graph refused access for {Operation} ({Subject}): {Status} {Code}; grant the app Mail.Send and Mail.ReadWrite on every sender mailbox")]
    private static partial void LogAccessRefused(ILogger logger, Exception exception, string operation, string subject, int status, string code);
}
