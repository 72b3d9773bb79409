using System.Collections.Concurrent;
using System.Globalization;
using Azure.Data.Tables;
using FunctionsPortal.Mail;
using FunctionsPortal.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Graph;

/// <summary>
/// Exchange's sending limits for each sender mailbox, held across every instance and process (Flex Consumption runs up
/// to 100): messages per minute, concurrent Graph requests and recipients per day. The shared state is in table
/// "maillimits", one partition per mailbox: a "rate" row (<see cref="MailboxRateEntity"/>, changed only with its ETag)
/// and one row per concurrency slot (<see cref="MailboxSlotEntity"/>), leased for a bounded time so that an instance
/// that dies frees its slots when the lease runs out. In front of it, per process and mailbox, a semaphore (never more
/// than MaxConcurrentRequests calls from here) and the leases this process still holds: while more calls for the
/// mailbox wait here, a finished call hands its lease to the next one without touching storage.
/// When no permit is available the caller is told when to come back (<see cref="LimitDenial"/>), never kept waiting long.
/// <c>GraphMail:MessagesPerMinute = 0</c> switches the shared part off (a fake Graph in tests and benchmarks): only the
/// per-process semaphore remains, and nothing is read from or written to storage.
/// </summary>
public sealed class MailboxLimiter : IDisposable
{
    public const string TableName = "maillimits";

    /// <summary>How long a process waits for one of its own calls to the mailbox to finish before it defers instead.</summary>
    private static readonly TimeSpan LocalWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// When another instance holds every slot: they are usually freed within a call's duration, so come back soon
    /// (the outbox adds jitter, so the deferred mails do not all return at once).
    /// </summary>
    private static readonly TimeSpan SlotRetry = TimeSpan.FromSeconds(2);

    /// <summary>How old this process's copy of a mailbox's rate row may be when choosing a mailbox (an estimate; the send decides).</summary>
    private static readonly TimeSpan RoomEstimateAge = TimeSpan.FromSeconds(10);

    /// <summary>Japan is the business day here: deferrals are told to staff in Japan time.</summary>
    private static readonly TimeSpan Japan = TimeSpan.FromHours(9);

    private const int MaxRateWrites = 5;

    private readonly GraphMailOptions _options;
    private readonly PortalStorage _storage;
    private readonly TimeProvider _time;
    private readonly RateRules? _rules;
    private readonly TimeSpan _minimumLeaseLeft;
    private readonly TimeSpan _leaseDuration;
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
    private readonly ConcurrentDictionary<string, LocalMailbox> _mailboxes = new(StringComparer.Ordinal);
    private int _turn = Random.Shared.Next();
    private long _storageOperations;

    public MailboxLimiter(IOptions<GraphMailOptions> options, PortalStorage storage, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _rules = _options.MessagesPerMinute > 0 ? RateRules.For(_options) : null;

        // A call may start only while its slot's lease outlives it: the wait for a send turn, the call itself (cut off
        // at RequestTimeout), and a few seconds for clocks that differ between instances. A held lease is renewed when it
        // has less than that left; a fresh one lasts half a minute longer, which is also how long a crashed instance
        // can keep a slot from the others.
        _minimumLeaseLeft = RateRules.DefaultMaxWait + _options.RequestTimeout + TimeSpan.FromSeconds(3);
        _leaseDuration = _minimumLeaseLeft + TimeSpan.FromSeconds(30);
    }

    /// <summary>Whether the limits hold across instances (through storage) or only within this process.</summary>
    public bool IsShared => _rules is not null;

    /// <summary>Storage operations this limiter has made (reads, writes, queries): what the limits cost.</summary>
    public long StorageOperations => Interlocked.Read(ref _storageOperations);

    private TableClient Table => _storage.GetTable(TableName);

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// The mailbox a new draft goes to: in turn among those whose daily window has room for <paramref name="recipients"/>
    /// (by this process's recent view; the send checks again), so a campaign is spread evenly over the mailboxes. When
    /// none has room, the denial says when the first will.
    /// </summary>
    public async Task<(string? Mailbox, LimitDenial? Denial)> ChooseAsync(IReadOnlyList<string> mailboxes, int recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailboxes);
        var open = new List<string>(mailboxes.Count);
        DateTimeOffset? firstRoom = null;
        foreach (var mailbox in mailboxes)
        {
            if (_rules is null)
            {
                open.Add(mailbox);
                continue;
            }

            var state = await RateStateAsync(Local(mailbox), mailbox, RoomEstimateAge, cancellationToken);
            var now = Now;
            var room = MailboxRate.RoomFrom(state, now, recipients, _rules.RecipientsPerDay);
            if (room <= now)
            {
                open.Add(mailbox);
            }
            else if (firstRoom is null || room < firstRoom)
            {
                firstRoom = room;
            }
        }

        if (open.Count == 0)
        {
            var until = firstRoom ?? Now;
            return (null, new LimitDenial(MailLimits.DailyRecipients, until - Now,
                $"Every sender mailbox has reached Exchange's {_options.RecipientsPerDay:N0} recipients in 24 hours: deferred to {InJapan(until)} (Japan time)."));
        }

        // Round robin (from a random start per process): even over the mailboxes however the mails arrive.
        return (open[(int)((uint)Interlocked.Increment(ref _turn) % (uint)open.Count)], null);
    }

    /// <summary>
    /// Takes one of <paramref name="mailbox"/>'s concurrent-request slots for one Graph call; give it back with
    /// <see cref="ExitAsync"/>. Null slot: all are in use (by this process for longer than a moment, or by others).
    /// </summary>
    public async Task<(MailboxSlot? Slot, LimitDenial? Denial)> EnterAsync(string mailbox, CancellationToken cancellationToken)
    {
        var local = Local(mailbox);
        Interlocked.Increment(ref local.Waiting);
        bool entered;
        try
        {
            entered = await WaitLocallyAsync(local.Calls, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref local.Waiting);
        }

        if (!entered)
        {
            return (null, new LimitDenial(MailLimits.ConcurrentRequests, SlotRetry,
                $"This instance already has {_options.MaxConcurrentRequests} Graph requests to {mailbox} in flight; trying again shortly."));
        }

        if (_rules is null)
        {
            return (new MailboxSlot(mailbox, null), null);
        }

        try
        {
            var lease = await LeaseAsync(local, mailbox, cancellationToken);
            if (lease is null)
            {
                local.Calls.Release();
                return (null, new LimitDenial(MailLimits.ConcurrentRequests, SlotRetry,
                    $"All {_options.MaxConcurrentRequests} concurrent Graph requests allowed for {mailbox} are in use by other instances; trying again shortly."));
            }

            return (new MailboxSlot(mailbox, lease), null);
        }
        catch
        {
            local.Calls.Release();
            throw;
        }
    }

    /// <summary>Gives the slot back: to a call of this process waiting for the mailbox, else to every instance.</summary>
    public async Task ExitAsync(MailboxSlot slot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slot);
        var local = Local(slot.Mailbox);
        try
        {
            if (slot.Lease is { } lease)
            {
                if (Volatile.Read(ref local.Waiting) > 0 && lease.Until - Now >= _minimumLeaseLeft)
                {
                    local.IdleLeases.Push(lease);
                    return;
                }

                // Nobody here wants the mailbox now: free this lease, and any other one a call left behind, for the other instances.
                await ReleaseAsync(lease, cancellationToken);
                while (Volatile.Read(ref local.Waiting) == 0 && local.IdleLeases.TryPop(out var idle))
                {
                    await ReleaseAsync(idle, cancellationToken);
                }
            }
        }
        finally
        {
            local.Calls.Release();
        }
    }

    /// <summary>
    /// A permit to send one message with <paramref name="recipients"/> recipients from <paramref name="mailbox"/> now:
    /// null when granted (after waiting at most a moment for its start), else when to come back and why. Call it
    /// holding the mailbox's slot, right before the send request, so the pacing is what Exchange sees.
    /// </summary>
    public async Task<LimitDenial?> AcquireSendAsync(string mailbox, int recipients, CancellationToken cancellationToken)
    {
        if (_rules is null)
        {
            return null;
        }

        var local = Local(mailbox);
        for (var write = 1; write <= MaxRateWrites; write++)
        {
            // The first try decides on this process's last copy of the row (its write fails if the row has changed
            // since); after a conflict it reads the row afresh.
            var state = await RateStateAsync(local, mailbox, write == 1 ? TimeSpan.MaxValue : null, cancellationToken);
            var now = Now;
            var decision = MailboxRate.Decide(state, now, recipients, _rules);
            switch (decision.Verdict)
            {
                case RateVerdict.Never:
                    return new LimitDenial(MailLimits.DailyRecipients, null,
                        $"The mail has {recipients} recipients, more than the {_options.RecipientsPerDay:N0} a mailbox may send to in 24 hours.");
                case RateVerdict.LaterWindow:
                    return new LimitDenial(MailLimits.DailyRecipients, decision.At - now,
                        $"{mailbox} has reached Exchange's {_options.RecipientsPerDay:N0} recipients in 24 hours: deferred to {InJapan(decision.At)} (Japan time).");
            }

            if (!await TryWriteRateAsync(local, state, cancellationToken))
            {
                continue;
            }

            if (decision.Verdict == RateVerdict.Turn)
            {
                return new LimitDenial(MailLimits.MessageRate, decision.At - now,
                    $"{mailbox} sends at most {_options.MessagesPerMinute} messages a minute: this one's turn is at {InJapan(decision.At, "HH:mm:ss")} (Japan time).");
            }

            if (decision.At > now)
            {
                await Task.Delay(decision.At - now, _time, cancellationToken);
            }

            return null;
        }

        // Every write lost a race: many instances are pacing this mailbox at once, so there is no permit now anyway.
        return new LimitDenial(MailLimits.MessageRate, _rules.Spacing, $"{mailbox} is busy with sends from other instances; trying again shortly.");
    }

    public void Dispose()
    {
        foreach (var local in _mailboxes.Values)
        {
            local.Dispose();
        }
    }

    private LocalMailbox Local(string mailbox) =>
        _mailboxes.GetOrAdd(Key(mailbox), _ => new LocalMailbox(_options.MaxConcurrentRequests));

    /// <summary>
    /// The partition of a mailbox: its address in lower case (addresses compare without case), URL-encoded because an
    /// address may hold characters a table key may not ('/', '#', '?').
    /// </summary>
    private static string Key(string mailbox) => Uri.EscapeDataString(mailbox.Trim().ToLowerInvariant());

    private static string InJapan(DateTimeOffset time, string format = "yyyy-MM-dd HH:mm") => time.ToOffset(Japan).ToString(format, CultureInfo.InvariantCulture);

    private async Task<bool> WaitLocallyAsync(SemaphoreSlim calls, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(LocalWait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await calls.WaitAsync(linked.Token);
            return true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>A lease this process holds and may still use (renewed if it runs short), else a free slot from storage.</summary>
    private async Task<SlotLease?> LeaseAsync(LocalMailbox local, string mailbox, CancellationToken cancellationToken)
    {
        while (local.IdleLeases.TryPop(out var held))
        {
            if (held.Until - Now >= _minimumLeaseLeft)
            {
                return held;
            }

            if (await RenewAsync(held, cancellationToken) is { } renewed)
            {
                return renewed;
            }
        }

        return await TakeFreeSlotAsync(mailbox, cancellationToken);
    }

    /// <summary>One query for the mailbox's slot rows, then a conditional write on a free one (the ETag decides races).</summary>
    private async Task<SlotLease?> TakeFreeSlotAsync(string mailbox, CancellationToken cancellationToken)
    {
        var partition = Key(mailbox);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {MailboxSlotEntity.RowPrefix} and RowKey lt {"slot."}");
        var rows = new Dictionary<string, MailboxSlotEntity>(StringComparer.Ordinal);
        Counted();
        await foreach (var row in Table.QueryAsync<MailboxSlotEntity>(filter, cancellationToken: cancellationToken))
        {
            rows[row.RowKey] = row;
        }

        var slots = _options.MaxConcurrentRequests;
        var first = Random.Shared.Next(slots); // instances starting at different slots collide less
        for (var i = 0; i < slots; i++)
        {
            var rowKey = MailboxSlotEntity.RowPrefix + ((first + i) % slots).ToString(CultureInfo.InvariantCulture);
            var now = Now;
            var until = now + _leaseDuration;
            if (!rows.TryGetValue(rowKey, out var slot))
            {
                var created = new MailboxSlotEntity { PartitionKey = partition, RowKey = rowKey, Holder = _holder, LeaseUntil = until };
                Counted();
                if (await Table.TryAddAsync(created, cancellationToken))
                {
                    return new SlotLease(partition, rowKey, created.ETag, until);
                }

                continue; // another instance created it first, and holds it
            }

            if (slot.LeaseUntil > now)
            {
                continue;
            }

            slot.Holder = _holder;
            slot.LeaseUntil = until;
            try
            {
                Counted();
                return new SlotLease(partition, rowKey, await Table.ReplaceIfUnchangedAsync(slot, cancellationToken), until);
            }
            catch (ConcurrencyConflictException)
            {
                // Another instance took this slot between our query and our write: try the next one.
            }
        }

        return null;
    }

    private async Task<SlotLease?> RenewAsync(SlotLease lease, CancellationToken cancellationToken)
    {
        var until = Now + _leaseDuration;
        var entity = new MailboxSlotEntity { PartitionKey = lease.Partition, RowKey = lease.RowKey, Holder = _holder, LeaseUntil = until, ETag = lease.ETag };
        try
        {
            Counted();
            return lease with { ETag = await Table.ReplaceIfUnchangedAsync(entity, cancellationToken), Until = until };
        }
        catch (ConcurrencyConflictException)
        {
            return null; // it ran out and another instance holds the slot now
        }
    }

    private async Task ReleaseAsync(SlotLease lease, CancellationToken cancellationToken)
    {
        var entity = new MailboxSlotEntity { PartitionKey = lease.Partition, RowKey = lease.RowKey, ETag = lease.ETag };
        try
        {
            Counted();
            await Table.ReplaceIfUnchangedAsync(entity, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Our lease had run out and another instance holds the slot now: there is nothing of ours to free.
        }
    }

    /// <summary>
    /// A copy of the mailbox's rate row to decide on: this process's last copy when it is younger than
    /// <paramref name="maxAge"/> (a decision on a stale copy cannot be written: its ETag no longer matches), else — and
    /// always when <paramref name="maxAge"/> is null — the row as storage has it now.
    /// </summary>
    private async Task<MailboxRateEntity> RateStateAsync(LocalMailbox local, string mailbox, TimeSpan? maxAge, CancellationToken cancellationToken)
    {
        lock (local.Gate)
        {
            if (maxAge is { } age && local.Rate is { } known && Now - local.RateSeenAt <= age)
            {
                return known.Copy();
            }
        }

        Counted();
        var read = await Table.GetEntityIfExistsAsync<MailboxRateEntity>(Key(mailbox), MailboxRateEntity.Row, cancellationToken: cancellationToken);
        var state = read.HasValue ? read.Value! : new MailboxRateEntity { PartitionKey = Key(mailbox) };
        Remember(local, state);
        return state.Copy();
    }

    /// <summary>Writes a decided copy back if nobody changed the row since it was read; false when someone did.</summary>
    private async Task<bool> TryWriteRateAsync(LocalMailbox local, MailboxRateEntity state, CancellationToken cancellationToken)
    {
        Counted();
        if (state.ETag == default)
        {
            if (!await Table.TryAddAsync(state, cancellationToken))
            {
                return false; // another instance wrote the first row
            }
        }
        else
        {
            try
            {
                state.ETag = await Table.ReplaceIfUnchangedAsync(state, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        }

        Remember(local, state);
        return true;
    }

    private void Remember(LocalMailbox local, MailboxRateEntity state)
    {
        lock (local.Gate)
        {
            local.Rate = state.Copy();
            local.RateSeenAt = Now;
        }
    }

    private void Counted() => Interlocked.Increment(ref _storageOperations);

    /// <summary>What this process knows and holds for one mailbox.</summary>
    private sealed class LocalMailbox(int slots) : IDisposable
    {
        public readonly SemaphoreSlim Calls = new(slots, slots);
        public readonly ConcurrentStack<SlotLease> IdleLeases = new();
        public readonly Lock Gate = new();
        public int Waiting;
        public MailboxRateEntity? Rate;
        public DateTimeOffset RateSeenAt;

        public void Dispose() => Calls.Dispose();
    }
}

/// <summary>A concurrency slot held for one Graph call (<see cref="Lease"/> null when the limits are per process only).</summary>
public sealed record MailboxSlot(string Mailbox, SlotLease? Lease);

/// <summary>A slot row this instance leased until <see cref="Until"/>, and the ETag that proves it is still ours.</summary>
public sealed record SlotLease(string Partition, string RowKey, Azure.ETag ETag, DateTimeOffset Until);

/// <summary>
/// No permit now: which limit (<see cref="MailLimits"/>), when to come back (null: never — the mail alone exceeds the
/// limit), and a sentence for staff.
/// </summary>
public sealed record LimitDenial(string Limit, TimeSpan? RetryAfter, string Detail);
