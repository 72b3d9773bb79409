using Azure.Data.Tables;
using FunctionsPortal.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Mail;

/// <summary>
/// Exactly-once mail: the outbox row exists before any call to the mail service (deterministic key, so asking twice
/// finds the same row), a lease lets one worker act at a time, the draft id is saved before sending, a send attempt
/// is recorded before the call, and a row that may already have been sent is verified rather than resent. Throttling
/// and outages only defer the row; a rejected address ends it with a status staff can see.
/// </summary>
public sealed partial class MailOutbox(
    PortalStorage storage,
    IMailTransport transport,
    IEnumerable<IMailComposer> composers,
    IOptions<MailOptions> options,
    TimeProvider timeProvider,
    ILogger<MailOutbox> logger)
{
    public const string TableName = "mailoutbox";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(15);
    private readonly Dictionary<string, IMailComposer> _composers = composers.SelectMany(composer => composer.Purposes.Select(purpose => (purpose, composer))).ToDictionary(pair => pair.purpose, pair => pair.composer, StringComparer.Ordinal);

    private TableClient Table => storage.GetTable(TableName);

    public string TransportName => transport.Name;

    /// <summary>Makes sure the mail is in the outbox (once) and pushes it as far as it can go now.</summary>
    public async Task<MailDelivery> DeliverAsync(MailRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = timeProvider.GetUtcNow();
        var worker = NewWorker();
        var row = new MailOutboxEntity
        {
            PartitionKey = request.Owner,
            RowKey = MailOutboxEntity.RowKeyOf(request.Owner, request.Kind),
            Purpose = request.Purpose,
            ToAddress = request.ToAddress,
            Transport = transport.Name,
            NextAttemptAt = now,
            CreatedAt = now,

            // Created already leased to this call (the claim's write is the add): nobody else can have seen the row.
            LeaseOwner = worker,
            LeaseUntil = now + options.Value.Lease,
        };
        Prepare(row);
        var added = await Table.TryAddAsync(row, cancellationToken);
        return await DriveAsync(request.Owner, request.Kind, added ? row : null, worker, cancellationToken);
    }

    /// <summary>Pushes an existing row as far as it can go (used by the sweep for deferred and abandoned rows).</summary>
    public Task<MailDelivery> DriveAsync(string owner, string kind, CancellationToken cancellationToken) => DriveAsync(owner, kind, null, NewWorker(), cancellationToken);

    /// <summary>One lease owner per call, not per process: two calls in one process are two workers.</summary>
    private static string NewWorker() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>Drives the row; <paramref name="claimed"/> is a row this call has just added under its own lease (no claim needed), or null to read and claim.</summary>
    private async Task<MailDelivery> DriveAsync(string owner, string kind, MailOutboxEntity? claimed, string worker, CancellationToken cancellationToken)
    {
        for (var claims = 0; claims < 8; claims++)
        {
            var entity = claimed ?? await ReadAsync(owner, kind, cancellationToken);
            var mustVerify = false;
            if (claimed is null)
            {
                var now = timeProvider.GetUtcNow();
                if (MailStates.IsFinal(entity.State))
                {
                    // Settling again is harmless (the hooks are idempotent) and repairs a hook that failed last time.
                    return await SettleAsync(entity, cancellationToken);
                }

                if (entity.LeaseUntil > now && entity.LeaseOwner != worker)
                {
                    return new MailDelivery(entity.State, entity.LeaseUntil, "Another worker is sending this mail.");
                }

                if (entity.NextAttemptAt > now)
                {
                    return Delivery(entity);
                }

                // Claim: only one worker gets past this write (the ETag changes under everyone else).
                entity.LeaseOwner = worker;
                entity.LeaseUntil = now + options.Value.Lease;
                mustVerify = Prepare(entity);
                try
                {
                    entity.ETag = await Table.ReplaceIfUnchangedAsync(entity, cancellationToken);
                }
                catch (ConcurrencyConflictException)
                {
                    continue; // someone else moved it: look again
                }
            }

            claimed = null;

            // Holding the lease, take as many steps as can go now. Each step's result is written before the next
            // step runs (checkpoint), in the same write that prepares that next step — one write per step. Each such
            // write also renews the lease, so a slow mail service (or a long batch) never lets it run out between steps.
            for (var step = 0; step < 6; step++)
            {
                var progressed = await AdvanceAsync(entity, mustVerify, cancellationToken);
                var done = !progressed || MailStates.IsFinal(entity.State);
                if (done)
                {
                    entity.LeaseOwner = null;
                    entity.LeaseUntil = null;
                }
                else
                {
                    mustVerify = Prepare(entity);
                    entity.LeaseUntil = timeProvider.GetUtcNow() + options.Value.Lease;
                }

                try
                {
                    entity.ETag = await Table.ReplaceIfUnchangedAsync(entity, cancellationToken);
                }
                catch (ConcurrencyConflictException)
                {
                    // Our lease expired and another worker took over while we waited on the mail service; it owns the row now.
                    LogLeaseLost(owner, kind);
                    return new MailDelivery(entity.State, null, "Lease lost to another worker.");
                }

                if (MailStates.IsFinal(entity.State))
                {
                    return await SettleAsync(entity, cancellationToken);
                }

                if (done)
                {
                    return Delivery(entity);
                }
            }
        }

        throw new InvalidOperationException($"Outbox row {owner}/{kind} did not settle.");
    }

    /// <summary>
    /// Readies the row for its next step (written before the step runs). A draft that any earlier step may already
    /// have sent is verified; otherwise the send attempt is recorded now, so a crash during the call means "verify",
    /// never "resend". Returns whether the next step must verify.
    /// </summary>
    private static bool Prepare(MailOutboxEntity entity)
    {
        entity.Attempts++;
        var mustVerify = entity.State == MailStates.SendRequested || (entity.State == MailStates.Drafted && entity.SendAttempts > 0);
        if (entity.State == MailStates.Drafted && !mustVerify)
        {
            entity.SendAttempts++;
        }

        return mustVerify;
    }

    private async Task<MailOutboxEntity> ReadAsync(string owner, string kind, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<MailOutboxEntity>(owner, MailOutboxEntity.RowKeyOf(owner, kind), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value! : throw new InvalidOperationException($"Outbox row {owner}/{kind} does not exist.");
    }

    private async Task<MailDelivery> SettleAsync(MailOutboxEntity entity, CancellationToken cancellationToken)
    {
        var settled = Delivery(entity);
        if (_composers.TryGetValue(entity.Purpose, out var composer))
        {
            await composer.OnSettledAsync(new MailRequest(entity.PartitionKey, entity.Kind, entity.Purpose, entity.ToAddress), settled, cancellationToken);
        }

        return settled;
    }

    /// <summary>Rows that are not finished and are due now (or whose worker vanished), oldest first.</summary>
    public async Task<IReadOnlyList<(string Owner, string Kind)>> DueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var filter = TableClient.CreateQueryFilter($"State ne {MailStates.Sent} and State ne {MailStates.Rejected} and State ne {MailStates.Cancelled} and NextAttemptAt le {now}");
        var due = new List<(string, string)>();
        await foreach (var row in Table.QueryAsync<MailOutboxEntity>(filter, maxPerPage: Math.Min(limit, 1000), select: ["PartitionKey", "RowKey", "LeaseUntil"], cancellationToken: cancellationToken))
        {
            if (row.LeaseUntil is null || row.LeaseUntil <= now)
            {
                due.Add((row.PartitionKey, row.Kind));
            }

            if (due.Count >= limit)
            {
                break;
            }
        }

        return due;
    }

    public async Task<MailDelivery?> StatusAsync(string owner, string kind, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<MailOutboxEntity>(owner, MailOutboxEntity.RowKeyOf(owner, kind), cancellationToken: cancellationToken);
        return row.HasValue ? Delivery(row.Value!) : null;
    }

    /// <summary>Every row of one owner (an assignment's mails), for staff.</summary>
    public async Task<IReadOnlyList<MailRecord>> ListAsync(string owner, CancellationToken cancellationToken)
    {
        var rows = new List<MailRecord>();
        await foreach (var row in Table.QueryAsync<MailOutboxEntity>(entity => entity.PartitionKey == owner, cancellationToken: cancellationToken))
        {
            rows.Add(Record(row));
        }

        return rows;
    }

    /// <summary>
    /// Every row whose owner starts with <paramref name="ownerPrefix"/> (e.g. all of a campaign's assignments, whose keys
    /// start with "{campaign id}~"): one partition-range query.
    /// </summary>
    public async Task<IReadOnlyList<(string Owner, MailRecord Mail)>> ListByOwnerPrefixAsync(string ownerPrefix, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerPrefix);
        // Every owner with the prefix sorts between the prefix and the prefix with its last character raised by one.
        var upper = ownerPrefix[..^1] + (char)(ownerPrefix[^1] + 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {ownerPrefix} and PartitionKey lt {upper}");
        var rows = new List<(string, MailRecord)>();
        await foreach (var row in Table.QueryAsync<MailOutboxEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add((row.PartitionKey, Record(row)));
        }

        return rows;
    }

    private static MailRecord Record(MailOutboxEntity row) => new(
        row.Kind, row.Purpose, row.ToAddress, row.State, row.Attempts, row.CreatedAt, row.SentAt, row.LastError, row.Transport,
        row.Sender, MailStates.IsFinal(row.State) ? null : row.NextAttemptAt, MailStates.IsFinal(row.State) ? null : row.DeferredBy);

    /// <returns>True when the row moved on and the next step can run now.</returns>
    private async Task<bool> AdvanceAsync(MailOutboxEntity entity, bool mustVerify, CancellationToken cancellationToken)
    {
        if (entity.State == MailStates.Pending)
        {
            if (!_composers.TryGetValue(entity.Purpose, out var composer))
            {
                throw new InvalidOperationException($"No mail composer for purpose '{entity.Purpose}'.");
            }

            var mail = await composer.ComposeAsync(new MailRequest(entity.PartitionKey, entity.Kind, entity.Purpose, entity.ToAddress), cancellationToken);
            if (mail is null)
            {
                entity.State = MailStates.Cancelled;
                return true;
            }

            var draft = await transport.CreateDraftAsync(mail, cancellationToken);
            return Apply(entity, draft, () =>
            {
                // The mailbox is saved with the id, in the same write: the draft exists only there, so every later step
                // (send, verify after a crash) must go to the same mailbox.
                entity.DraftId = draft.Value!.Id;
                entity.Reference = mail.Reference;
                entity.Sender = draft.Value.Mailbox;
                entity.Recipients = draft.Value.Recipients;
                entity.State = MailStates.Drafted;
                entity.Failures = 0; // the next step starts its own backoff
            });
        }

        if (mustVerify)
        {
            var status = await transport.GetDraftStatusAsync(Draft(entity), cancellationToken);
            if (status.Outcome != MailStepOutcome.Done)
            {
                return Apply(entity, status, () => { });
            }

            entity.DeferredBy = null;
            switch (status.Value)
            {
                case DraftStatus.Sent:
                    MarkSent(entity);
                    return true;
                case DraftStatus.Draft:
                    // Verified unsent: sending again is safe; record the attempt before the call, as always.
                    entity.State = MailStates.Drafted;
                    entity.SendAttempts = 0;
                    entity.NextAttemptAt = timeProvider.GetUtcNow();
                    return true;
                default:
                    entity.State = MailStates.SendRequested;
                    Defer(entity, null, "The sent mail is not visible yet; checking again later (never resent blindly).");
                    return false;
            }
        }

        var sent = await transport.SendDraftAsync(Draft(entity), cancellationToken);
        if (sent.Outcome == MailStepOutcome.RetryLater)
        {
            // The outcome is unknown (it may have gone out): from now on, verify before any resend.
            entity.State = MailStates.SendRequested;
        }
        else if (sent.Outcome == MailStepOutcome.Deferred)
        {
            // A sending limit stopped the send before any request left (the transport's promise for Deferred): the
            // attempt recorded before the call never happened, so the next try sends without a verify first.
            entity.SendAttempts = 0;
        }

        return Apply(entity, sent, () => MarkSent(entity));
    }

    private bool Apply<T>(MailOutboxEntity entity, MailStep<T> step, Action onDone)
    {
        entity.DeferredBy = step.Outcome == MailStepOutcome.Deferred ? step.Limit : null;
        switch (step.Outcome)
        {
            case MailStepOutcome.Done:
                onDone();
                entity.LastError = null;
                return true;
            case MailStepOutcome.Rejected:
                entity.State = MailStates.Rejected;
                entity.LastError = step.Detail;
                LogRejected(entity.PartitionKey, entity.Kind, entity.ToAddress, step.Detail);
                return false;
            default:
                Defer(entity, step.RetryAfter, step.Detail);
                return false;
        }
    }

    private void Defer(MailOutboxEntity entity, TimeSpan? retryAfter, string? reason)
    {
        // Honour Retry-After; otherwise exponential backoff with jitter so a storm of deferred rows does not return together.
        // The exponent is the failures in a row at this step, not every step the row ever took.
        entity.Failures++;
        var baseDelay = options.Value.RetryBaseDelay;
        var backoff = TimeSpan.FromTicks((long)Math.Min(MaxBackoff.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Clamp(entity.Failures - 1, 0, 16))));
        var jitter = TimeSpan.FromTicks((long)(baseDelay.Ticks * Random.Shared.NextDouble() / 2));
        var delay = (retryAfter ?? backoff) + jitter;
        entity.NextAttemptAt = timeProvider.GetUtcNow() + delay;
        entity.LastError = reason;
        LogDeferred(entity.PartitionKey, entity.Kind, entity.State, delay, reason);
    }

    private static MailDraft Draft(MailOutboxEntity entity) => new(entity.DraftId!, entity.Sender, entity.Recipients);

    private void MarkSent(MailOutboxEntity entity)
    {
        entity.State = MailStates.Sent;
        entity.SentAt = timeProvider.GetUtcNow();
    }

    private static MailDelivery Delivery(MailOutboxEntity entity) =>
        new(entity.State, MailStates.IsFinal(entity.State) ? null : entity.NextAttemptAt, entity.LastError, entity.Reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {Owner}/{Kind} to {ToAddress} was rejected: {Reason}")]
    private partial void LogRejected(string owner, string kind, string toAddress, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail {Owner}/{Kind} deferred in state {State} for {Delay}: {Reason}")]
    private partial void LogDeferred(string owner, string kind, string state, TimeSpan delay, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {Owner}/{Kind}: lease lost to another worker")]
    private partial void LogLeaseLost(string owner, string kind);
}

/// <summary>
/// Where a mail stands: its state, when it will be tried again (if not finished), the last problem, and the composed
/// mail's <see cref="OutgoingMail.Reference"/> once it was drafted.
/// </summary>
public sealed record MailDelivery(string State, DateTimeOffset? RetryAt, string? Problem, string? Reference = null)
{
    public bool IsSent => State == MailStates.Sent;
}

/// <summary>
/// One mail of an owner, for staff: <see cref="Sender"/> is the mailbox it is (being) sent from; while it is not
/// finished, <see cref="NextAttemptAt"/> says when it is tried again and <see cref="DeferredBy"/> which sending limit
/// (<see cref="MailLimits"/>) holds it back, if one does ("daily-recipients": it waits for a later day).
/// </summary>
public sealed record MailRecord(
    string Kind, string Purpose, string ToAddress, string State, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? LastError, string Transport,
    string? Sender = null, DateTimeOffset? NextAttemptAt = null, string? DeferredBy = null);
