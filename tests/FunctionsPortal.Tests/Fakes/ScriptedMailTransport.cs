using System.Collections.Concurrent;
using FunctionsPortal.Mail;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// An in-memory mail service whose next answers a test scripts: it counts what was really sent per outbox key, so a
/// test can assert "exactly once" however the answers went.
/// </summary>
public sealed class ScriptedMailTransport : IMailTransport
{
    private readonly ConcurrentDictionary<string, (OutgoingMail Mail, bool Sent)> _drafts = new();
    private readonly ConcurrentQueue<ScriptedSend> _sendScript = new();
    private int _sendCalls;
    private int _inFlight;
    private int _maxInFlight;

    public string Name => "scripted";

    /// <summary>How long each call takes (to let concurrent workers overlap).</summary>
    public TimeSpan Latency { get; set; }

    public int SendCalls => _sendCalls;

    public int MaxInFlight => _maxInFlight;

    /// <summary>Sent mails per outbox key (really delivered, whatever the caller was told).</summary>
    public IReadOnlyDictionary<string, int> Delivered =>
        _drafts.Values.Where(draft => draft.Sent).GroupBy(draft => draft.Mail.OutboxKey).ToDictionary(group => group.Key, group => group.Count());

    public IEnumerable<OutgoingMail> SentMails => _drafts.Values.Where(draft => draft.Sent).Select(draft => draft.Mail);

    /// <summary>Next send: delivered but the answer is lost (the caller hears "retry later").</summary>
    public void LoseNextSendResponse() => _sendScript.Enqueue(new ScriptedSend(null, TimeSpan.Zero));

    /// <summary>Next send: refused before delivery with this outcome (retry later: throttled, "retry after 0 s").</summary>
    public void FailNextSend(MailStepOutcome outcome) => _sendScript.Enqueue(new ScriptedSend(outcome, TimeSpan.Zero));

    /// <summary>Next send: refused before delivery with no Retry-After (a 5xx), so the outbox's own backoff decides the wait.</summary>
    public void FailNextSendWithoutRetryAfter() => _sendScript.Enqueue(new ScriptedSend(MailStepOutcome.RetryLater, null));

    public async Task<MailStep<string>> CreateDraftAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken);
        try
        {
            var id = Guid.NewGuid().ToString("N");
            _drafts[id] = (mail, false);
            return MailStep.Done(id);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async Task<MailStep<bool>> SendDraftAsync(string draftId, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken);
        try
        {
            Interlocked.Increment(ref _sendCalls);
            if (_sendScript.TryDequeue(out var scripted))
            {
                if (scripted.Outcome is null)
                {
                    _drafts[draftId] = (_drafts[draftId].Mail, true);
                    return MailStep.RetryLater<bool>("gateway timeout (the mail went out)", scripted.RetryAfter);
                }

                return scripted.Outcome == MailStepOutcome.Rejected ? MailStep.Rejected<bool>("invalid recipient") : MailStep.RetryLater<bool>("throttled", scripted.RetryAfter);
            }

            if (_drafts[draftId].Sent)
            {
                throw new InvalidOperationException($"Draft {draftId} was sent twice.");
            }

            _drafts[draftId] = (_drafts[draftId].Mail, true);
            return MailStep.Done(true);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public Task<MailStep<DraftStatus>> GetDraftStatusAsync(string draftId, CancellationToken cancellationToken) =>
        Task.FromResult(MailStep.Done(!_drafts.TryGetValue(draftId, out var draft) ? DraftStatus.Missing : draft.Sent ? DraftStatus.Sent : DraftStatus.Draft));

    /// <param name="Outcome">Null: delivered, then the answer is lost.</param>
    /// <param name="RetryAfter">The wait the service asks for (Retry-After); null when it names none.</param>
    private sealed record ScriptedSend(MailStepOutcome? Outcome, TimeSpan? RetryAfter);

    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = _maxInFlight) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken);
        }
    }
}

/// <summary>A composer for the "test" purpose: a plain mail to the row's recipient.</summary>
public sealed class TestMailComposer : IMailComposer
{
    private readonly ConcurrentQueue<MailDelivery> _settled = new();

    public IReadOnlyCollection<string> Purposes { get; } = ["test"];

    public IReadOnlyCollection<MailDelivery> Settled => _settled;

    public Task<OutgoingMail?> ComposeAsync(MailRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<OutgoingMail?>(new OutgoingMail(request.OutboxKey, new MailAddressee(request.ToAddress), [], "件名 / Subject", "<p>本文</p>", "本文"));

    public Task OnSettledAsync(MailRequest request, MailDelivery delivery, CancellationToken cancellationToken)
    {
        _settled.Enqueue(delivery);
        return Task.CompletedTask;
    }
}
