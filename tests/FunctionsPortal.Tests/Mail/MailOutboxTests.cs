using FunctionsPortal.Mail;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsPortal.Tests.Mail;

/// <summary>The outbox protocol against a scripted mail service: whatever the service answers, each mail goes out once.</summary>
public sealed class MailOutboxTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly ScriptedMailTransport _transport = new();
    private readonly TestMailComposer _composer = new();
    private PortalApplication _app = null!;
    private MailOutbox _outbox = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, configureServices: services =>
        {
            services.RemoveAll<IMailTransport>();
            services.AddSingleton<IMailTransport>(_transport);
            services.AddSingleton<IMailComposer>(_composer);
        });
        await _app.Services.WhenStorageReadyAsync();
        _outbox = _app.Services.GetRequiredService<MailOutbox>();
    }

    private static MailRequest Request(string owner = "assignment-1", string kind = "invitation") => new(owner, kind, "test", "officer@vendor.example.jp");

    [Fact]
    public async Task AskingTwiceForTheSameMailSendsItOnce()
    {
        var first = await _outbox.DeliverAsync(Request(), Token);
        var second = await _outbox.DeliverAsync(Request(), Token);

        Assert.True(first.IsSent);
        Assert.True(second.IsSent);
        Assert.Equal(1, _transport.Delivered["assignment-1/invitation"]);
        Assert.All(_composer.Settled, delivery => Assert.True(delivery.IsSent));
    }

    [Fact]
    public async Task ALostSendResponseIsVerifiedNotResent()
    {
        _transport.LoseNextSendResponse();

        var deferred = await _outbox.DeliverAsync(Request(), Token);
        var afterVerify = await DriveUntilFinalAsync(Request());

        Assert.Equal(MailStates.SendRequested, deferred.State);
        Assert.True(afterVerify.IsSent);
        Assert.Equal(1, _transport.SendCalls);
        Assert.Equal(1, _transport.Delivered["assignment-1/invitation"]);
    }

    [Fact]
    public async Task AThrottledSendIsRetriedAfterVerifyingItDidNotGoOut()
    {
        _transport.FailNextSend(MailStepOutcome.RetryLater);
        _transport.FailNextSend(MailStepOutcome.RetryLater);

        await _outbox.DeliverAsync(Request(), Token);
        var result = await DriveUntilFinalAsync(Request());

        Assert.True(result.IsSent);
        Assert.Equal(3, _transport.SendCalls);
        Assert.Equal(1, _transport.Delivered["assignment-1/invitation"]);
    }

    [Fact]
    public async Task ARejectedAddressEndsTheMailWithAVisibleReason()
    {
        _transport.FailNextSend(MailStepOutcome.Rejected);

        var result = await _outbox.DeliverAsync(Request(), Token);
        var again = await _outbox.DeliverAsync(Request(), Token);

        Assert.Equal(MailStates.Rejected, result.State);
        Assert.Equal("invalid recipient", result.Problem);
        Assert.Equal(MailStates.Rejected, again.State);
        Assert.Empty(_transport.Delivered);
        Assert.All(_composer.Settled, delivery => Assert.Equal(MailStates.Rejected, delivery.State));
    }

    [Fact]
    public async Task ASendDeferredByASendingLimitIsTriedAgainWithoutAVerify()
    {
        // Deferred means no request left (unlike RetryLater): there is nothing to verify before sending.
        _transport.FailNextSend(MailStepOutcome.Deferred);

        var deferred = await _outbox.DeliverAsync(Request(), Token);
        var shown = Assert.Single(await _outbox.ListAsync("assignment-1", Token));
        var result = await DriveUntilFinalAsync(Request());

        Assert.Equal(MailStates.Drafted, deferred.State);
        Assert.Equal(MailLimits.MessageRate, shown.DeferredBy);
        Assert.Equal(deferred.RetryAt, shown.NextAttemptAt);
        Assert.Equal(_transport.Mailbox, shown.Sender);
        Assert.True(result.IsSent);
        Assert.Equal(2, _transport.SendCalls);
        Assert.Equal(0, _transport.StatusCalls);
        Assert.Equal(1, _transport.Delivered["assignment-1/invitation"]);
        var sent = Assert.Single(await _outbox.ListAsync("assignment-1", Token));
        Assert.Null(sent.DeferredBy);
        Assert.Null(sent.NextAttemptAt);
    }

    [Fact]
    public async Task AMailHeldBackByTheDailyCapShowsItOnItsRowUntilItGoes()
    {
        _transport.DeferNextDraft(MailLimits.DailyRecipients);

        var deferred = await _outbox.DeliverAsync(Request(), Token);
        var shown = Assert.Single(await _outbox.ListAsync("assignment-1", Token));
        var result = await DriveUntilFinalAsync(Request());

        Assert.Equal(MailStates.Pending, deferred.State);
        Assert.Equal(MailLimits.DailyRecipients, shown.DeferredBy);
        Assert.Equal("scripted daily-recipients", shown.LastError);
        Assert.NotNull(shown.NextAttemptAt);
        Assert.Null(shown.Sender);
        Assert.True(result.IsSent);
        Assert.Null(Assert.Single(await _outbox.ListAsync("assignment-1", Token)).DeferredBy);
    }

    [Fact]
    public async Task EveryStepAfterTheDraftGoesToTheMailboxTheDraftWasCreatedIn()
    {
        // The transport would put a new draft elsewhere now (another mailbox's turn), but this draft lives in the first:
        // the verify and the second send must go there.
        _transport.FailNextSend(MailStepOutcome.RetryLater);
        await _outbox.DeliverAsync(Request(), Token);
        var first = _transport.Mailbox;
        _transport.Mailbox = "another@mail.example";

        var result = await DriveUntilFinalAsync(Request());

        Assert.True(result.IsSent);
        Assert.Equal(first, Assert.Single(await _outbox.ListAsync("assignment-1", Token)).Sender);
        Assert.Equal(2, _transport.SendCalls);
        Assert.Equal(1, _transport.Delivered["assignment-1/invitation"]);
    }

    [Fact]
    public async Task ConcurrentWorkersOnTheSameMailSendItOnce()
    {
        _transport.Latency = TimeSpan.FromMilliseconds(50);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _outbox.DeliverAsync(Request(), Token)));
        var final = await DriveUntilFinalAsync(Request());

        Assert.True(final.IsSent);
        Assert.Equal(1, _transport.Delivered["assignment-1/invitation"]);
    }

    [Fact]
    public async Task TheSweepFindsDeferredMailOnceItIsDue()
    {
        _transport.FailNextSend(MailStepOutcome.RetryLater);
        await _outbox.DeliverAsync(Request("assignment-2"), Token);

        var due = await Eventually.ValueAsync(
            () => _outbox.DueAsync(100, Token),
            rows => rows.Count > 0,
            _ => "the deferred mail to be due for the sweep (nothing due yet)",
            TimeSpan.FromSeconds(10), cancellationToken: Token);

        Assert.Contains(("assignment-2", "invitation"), due);
        Assert.True((await _outbox.DriveAsync("assignment-2", "invitation", Token)).IsSent);
        Assert.DoesNotContain(("assignment-2", "invitation"), await _outbox.DueAsync(100, Token));
    }

    [Fact]
    public async Task TheBackoffGrowsWithFailuresInARowNotWithEveryStepTheMailTook()
    {
        // Three throttles (their Retry-After honoured), then a failure with no Retry-After (a 5xx), all at the send.
        // Each round also claims the row and verifies the draft: steps, not failures.
        for (var i = 0; i < 3; i++)
        {
            _transport.FailNextSend(MailStepOutcome.RetryLater);
        }

        _transport.FailNextSendWithoutRetryAfter();

        await _outbox.DeliverAsync(Request(), Token);
        var deferred = await Eventually.ValueAsync(
            () => _outbox.DriveAsync("assignment-1", "invitation", Token),
            _ => _transport.SendCalls == 4,
            delivery => $"the fourth send (saw {_transport.SendCalls}; {delivery.State}, retry at {delivery.RetryAt:O})",
            TimeSpan.FromSeconds(30), cancellationToken: Token);
        var wait = deferred.RetryAt!.Value - DateTimeOffset.UtcNow;

        // Four failures in a row: 2 s × 2³ = 16 s, plus up to 1 s of jitter. Counting every step the row went through
        // (eight) made it 2 s × 2⁷ = 4 min 16 s, and a few more steps reach the 15-minute cap.
        Assert.Equal(MailStates.SendRequested, deferred.State);
        Assert.InRange(wait, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(17));
    }

    /// <summary>Drives the mail as the sweep would until it is sent or rejected; a drive before its retry time only reads the row.</summary>
    private Task<MailDelivery> DriveUntilFinalAsync(MailRequest request) => Eventually.ValueAsync(
        () => _outbox.DriveAsync(request.Owner, request.Kind, Token),
        delivery => MailStates.IsFinal(delivery.State),
        delivery => $"{request.Owner}/{request.Kind} to be sent or rejected; it is {delivery.State} (retry at {delivery.RetryAt:O}; {delivery.Problem})",
        TimeSpan.FromSeconds(30), cancellationToken: Token);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
