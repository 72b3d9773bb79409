using FunctionsPortal.Graph;
using FunctionsPortal.Mail;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Graph;

/// <summary>
/// The mailbox-wide limits on Azurite with a fake clock: two limiters over the same storage stand for two instances
/// (each with its own process-side state), so whatever one takes the other cannot.
/// </summary>
public sealed class MailboxLimiterTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Mailbox = "surveys@contoso.example";
    private const string OtherMailbox = "surveys-2@contoso.example";
    private static readonly DateTimeOffset Ten = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero); // 10:00 in Japan
    private static readonly TimeSpan SixAMinute = TimeSpan.FromTicks((TimeSpan.FromMinutes(1) + RateRules.TransitMargin).Ticks / 6);

    private readonly FakeTimeProvider _clock = new(Ten);
    private readonly List<MailboxLimiter> _instances = [];
    private PortalStorage _storage = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _storage = azurite.CreateStorage();
        await _storage.GetTable(MailboxLimiter.TableName).CreateIfNotExistsAsync(Token);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            instance.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task SendPermitsAreSharedByInstancesAndALateOneGetsTheNextFreeTurn()
    {
        var a = Instance();
        var b = Instance();

        var first = await a.AcquireSendAsync(Mailbox, 1, Token);
        var bTurn = await b.AcquireSendAsync(Mailbox, 1, Token);
        var aTurn = await a.AcquireSendAsync(Mailbox, 1, Token); // a's copy of the row is stale: its write fails, it reads again
        var elsewhere = await a.AcquireSendAsync(OtherMailbox, 1, Token);
        _clock.Advance(SixAMinute);
        var bBack = await b.AcquireSendAsync(Mailbox, 1, Token);

        Assert.Null(first);
        Assert.Equal(MailLimits.MessageRate, bTurn!.Limit);
        Assert.Equal(SixAMinute, bTurn.RetryAfter);
        Assert.Equal(2 * SixAMinute, aTurn!.RetryAfter);
        Assert.Null(elsewhere); // each mailbox has its own limits
        Assert.Null(bBack);
    }

    [Fact]
    public async Task TheDailyCapIsSharedAndADeniedSendIsToldWhenThereIsRoom()
    {
        var a = Instance(messagesPerMinute: 6_000, recipientsPerDay: 3);
        var b = Instance(messagesPerMinute: 6_000, recipientsPerDay: 3);

        Assert.Null(await a.AcquireSendAsync(Mailbox, 2, Token));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await b.AcquireSendAsync(Mailbox, 1, Token));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var over = await a.AcquireSendAsync(Mailbox, 1, Token);
        var choice = await b.ChooseAsync([Mailbox], 1, Token);
        _clock.Advance((Ten + TimeSpan.FromHours(25)) - _clock.GetUtcNow());
        var nextDay = await a.AcquireSendAsync(Mailbox, 1, Token);

        Assert.Equal(MailLimits.DailyRecipients, over!.Limit);
        Assert.Equal(TimeSpan.FromHours(25) - TimeSpan.FromSeconds(2), over.RetryAfter);
        Assert.Contains("deferred to 2026-12-03 11:00 (Japan time)", over.Detail, StringComparison.Ordinal);
        Assert.Null(choice.Mailbox);
        Assert.Equal(MailLimits.DailyRecipients, choice.Denial!.Limit);
        Assert.Null(nextDay);
    }

    [Fact]
    public async Task ConcurrentRequestsAreSharedAndACrashedInstancesSlotComesBackWhenItsLeaseRunsOut()
    {
        var a = Instance(maxConcurrentRequests: 2);
        var b = Instance(maxConcurrentRequests: 2);

        var a1 = await a.EnterAsync(Mailbox, Token);
        var b1 = await b.EnterAsync(Mailbox, Token); // b then "crashes": it never gives its slot back
        var a2 = await a.EnterAsync(Mailbox, Token);
        await a.ExitAsync(a1.Slot!, Token);
        var a3 = await a.EnterAsync(Mailbox, Token);
        await a.ExitAsync(a3.Slot!, Token);
        _clock.Advance(TimeSpan.FromSeconds(66)); // longer than a lease (35 s needed for a call + 30 s)
        var a4 = await a.EnterAsync(Mailbox, Token);
        var a5 = await a.EnterAsync(Mailbox, Token);

        Assert.NotNull(a1.Slot);
        Assert.NotNull(b1.Slot);
        Assert.Null(a2.Slot);
        Assert.Equal(MailLimits.ConcurrentRequests, a2.Denial!.Limit);
        Assert.Contains("in use by other instances", a2.Denial.Detail, StringComparison.Ordinal);
        Assert.NotNull(a3.Slot);
        Assert.NotNull(a4.Slot);
        Assert.NotNull(a5.Slot);
        Assert.Equal(2, new[] { a4.Slot!.Lease!.RowKey, a5.Slot!.Lease!.RowKey }.Distinct().Count());
    }

    [Fact]
    public async Task WhileCallsWaitInTheProcessAFinishedCallHandsItsSlotOverWithoutStorage()
    {
        var a = Instance(maxConcurrentRequests: 1);
        var first = await a.EnterAsync(Mailbox, Token);
        var taking = a.StorageOperations;

        var waiting = a.EnterAsync(Mailbox, Token); // waits in the process for the one call allowed
        await a.ExitAsync(first.Slot!, Token);
        var second = await waiting;
        var handedOver = a.StorageOperations;
        await a.ExitAsync(second.Slot!, Token);

        Assert.Equal(2, taking); // a query for the slots, a write to take one
        Assert.Equal(first.Slot!.Lease, second.Slot!.Lease);
        Assert.Equal(taking, handedOver);
        Assert.Equal(taking + 1, a.StorageOperations); // freed when nobody here waits any more
    }

    [Fact]
    public async Task NewDraftsTakeTheMailboxesInTurnAndSkipThoseWithoutRoomToday()
    {
        var a = Instance(messagesPerMinute: 6_000, recipientsPerDay: 1);
        string[] mailboxes = [Mailbox, OtherMailbox];

        var inTurn = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            inTurn.Add((await a.ChooseAsync(mailboxes, 1, Token)).Mailbox);
        }

        Assert.Null(await a.AcquireSendAsync(Mailbox, 1, Token));
        var onlyOther = (await a.ChooseAsync(mailboxes, 1, Token)).Mailbox;
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await a.AcquireSendAsync(OtherMailbox, 1, Token));
        var none = await a.ChooseAsync(mailboxes, 1, Token);

        Assert.Equal(2, inTurn.Count(mailbox => mailbox == Mailbox));
        Assert.Equal(2, inTurn.Count(mailbox => mailbox == OtherMailbox));
        Assert.NotEqual(inTurn[0], inTurn[1]);
        Assert.Equal(OtherMailbox, onlyOther);
        Assert.Null(none.Mailbox);
        Assert.Equal(MailLimits.DailyRecipients, none.Denial!.Limit);
        Assert.Equal((Ten + TimeSpan.FromHours(25)) - _clock.GetUtcNow(), none.Denial.RetryAfter);
        Assert.Contains("Every sender mailbox", none.Denial.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutARateTheLimitsStayInTheProcessAndCostNoStorage()
    {
        var a = Instance(messagesPerMinute: 0);

        var slot = await a.EnterAsync(Mailbox, Token);
        var permit = await a.AcquireSendAsync(Mailbox, 1, Token);
        await a.ExitAsync(slot.Slot!, Token);
        var choice = await a.ChooseAsync([Mailbox], 1, Token);

        Assert.False(a.IsShared);
        Assert.Null(slot.Slot!.Lease);
        Assert.Null(permit);
        Assert.Equal(Mailbox, choice.Mailbox);
        Assert.Equal(0, a.StorageOperations);
    }

    /// <summary>A limiter as one instance of the app holds it: its own process-side state, the shared storage and clock.</summary>
    private MailboxLimiter Instance(int messagesPerMinute = 6, int maxConcurrentRequests = 2, int recipientsPerDay = 10_000)
    {
        var limiter = new MailboxLimiter(
            Options.Create(new GraphMailOptions { MessagesPerMinute = messagesPerMinute, MaxConcurrentRequests = maxConcurrentRequests, RecipientsPerDay = recipientsPerDay }),
            _storage,
            _clock);
        _instances.Add(limiter);
        return limiter;
    }
}
