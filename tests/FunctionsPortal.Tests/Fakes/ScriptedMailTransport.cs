using System.Collections.Concurrent;
using FunctionsPortal.Mail;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// An in-memory mail service whose next answers a test scripts: it counts what was really sent per outbox key, so a
/// test can assert "exactly once" however the answers went.
/// </summary>
public sealed class ScriptedMailTransport : IMailTransport
{
    private readonly ConcurrentDictionary<string, (OutgoingMail Mail, bool Sent, string Mailbox)> _drafts = new();
    private readonly ConcurrentQueue<ScriptedSend> _sendScript = new();
    private readonly ConcurrentQueue<string> _draftScript = new();
    private int _sendCalls;
    private int _statusCalls;
    private int _inFlight;
    private int _maxInFlight;

    public string Name => "scripted";

    /// <summary>How long each call takes (to let concurrent workers overlap).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The mailbox new drafts are created in; a draft must be sent from the mailbox it was created in.</summary>
    public string Mailbox { get; set; } = "scripted@mail.example";

    public int SendCalls => _sendCalls;

    /// <summary>How often a draft's status was asked (the verify step).</summary>
    public int StatusCalls => _statusCalls;

    public int MaxInFlight => _maxInFlight;

    /// <summary>Sent mails per outbox key (really delivered, whatever the caller was told).</summary>
    public IReadOnlyDictionary<string, int> Delivered =>
        _drafts.Values.Where(draft => draft.Sent).GroupBy(draft => draft.Mail.OutboxKey).ToDictionary(group => group.Key, group => group.Count());

    public IEnumerable<OutgoingMail> SentMails => _drafts.Values.Where(draft => draft.Sent).Select(draft => draft.Mail);

    /// <summary>Next send: delivered but the answer is lost (the caller hears "retry later").</summary>
    public void LoseNextSendResponse() => _sendScript.Enqueue(new ScriptedSend(null, TimeSpan.Zero));

    /// <summary>Next send: refused before delivery with this outcome (Deferred: a sending limit, nothing was tried; else throttled, "retry after 0 s").</summary>
    public void FailNextSend(MailStepOutcome outcome) => _sendScript.Enqueue(new ScriptedSend(outcome, TimeSpan.Zero));

    /// <summary>Next send: refused before delivery with no Retry-After (a 5xx), so the outbox's own backoff decides the wait.</summary>
    public void FailNextSendWithoutRetryAfter() => _sendScript.Enqueue(new ScriptedSend(MailStepOutcome.RetryLater, null));

    /// <summary>Next draft: deferred by this sending limit (<see cref="MailLimits"/>) before anything is created.</summary>
    public void DeferNextDraft(string limit) => _draftScript.Enqueue(limit);

    public async Task<MailStep<MailDraft>> CreateDraftAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken);
        try
        {
            if (_draftScript.TryDequeue(out var limit))
            {
                return MailStep.Deferred<MailDraft>(limit, $"scripted {limit}", TimeSpan.Zero);
            }

            var id = Guid.NewGuid().ToString("N");
            _drafts[id] = (mail, false, Mailbox);
            return MailStep.Done(new MailDraft(id, Mailbox, 1 + mail.Cc.Count));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async Task<MailStep<bool>> SendDraftAsync(MailDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var draftId = draft.Id;
        await EnterAsync(cancellationToken);
        try
        {
            if (draft.Mailbox != _drafts[draftId].Mailbox)
            {
                throw new InvalidOperationException($"Draft {draftId} lives in {_drafts[draftId].Mailbox}, not in {draft.Mailbox}.");
            }

            Interlocked.Increment(ref _sendCalls);
            if (_sendScript.TryDequeue(out var scripted))
            {
                if (scripted.Outcome is null)
                {
                    _drafts[draftId] = _drafts[draftId] with { Sent = true };
                    return MailStep.RetryLater<bool>("gateway timeout (the mail went out)", scripted.RetryAfter);
                }

                return scripted.Outcome switch
                {
                    MailStepOutcome.Rejected => MailStep.Rejected<bool>("invalid recipient"),
                    MailStepOutcome.Deferred => MailStep.Deferred<bool>(MailLimits.MessageRate, "scripted rate limit", TimeSpan.Zero),
                    _ => MailStep.RetryLater<bool>("throttled", scripted.RetryAfter),
                };
            }

            if (_drafts[draftId].Sent)
            {
                throw new InvalidOperationException($"Draft {draftId} was sent twice.");
            }

            _drafts[draftId] = _drafts[draftId] with { Sent = true };
            return MailStep.Done(true);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public Task<MailStep<DraftStatus>> GetDraftStatusAsync(MailDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        Interlocked.Increment(ref _statusCalls);
        // Asked in another mailbox, a draft is not found (as Graph answers 404).
        return Task.FromResult(MailStep.Done(!_drafts.TryGetValue(draft.Id, out var known) || known.Mailbox != draft.Mailbox ? DraftStatus.Missing : known.Sent ? DraftStatus.Sent : DraftStatus.Draft));
    }

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
