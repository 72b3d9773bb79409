using System.Net;
using FunctionsPortal.Graph;
using FunctionsPortal.Mail;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Graph;

public sealed class GraphMailTransportTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Sender = "surveys@contoso.example";
    private const string SecondSender = "surveys-2@contoso.example";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly GraphFakeCredential _credential = new();
    private readonly FakeLogger<GraphMailTransport> _logger = new();
    private readonly List<MailboxLimiter> _limiters = [];
    private GraphFake _graph = null!;

    public async ValueTask InitializeAsync() => _graph = await GraphFake.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _graph.DisposeAsync();
        foreach (var limiter in _limiters)
        {
            limiter.Dispose();
        }
    }

    [Fact]
    public async Task DraftSendAndVerifySendsOnceWithTheOutboxKeyAndABearerToken()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport();
        var mail = Mail("mail|survey-invite|c1|v1");

        var draft = await transport.CreateDraftAsync(mail, cancellationToken);
        var before = await transport.GetDraftStatusAsync(draft.Value!, cancellationToken);
        var sent = await transport.SendDraftAsync(draft.Value!, cancellationToken);
        var after = await transport.GetDraftStatusAsync(draft.Value!, cancellationToken);

        Assert.Equal(MailStepOutcome.Done, draft.Outcome);
        Assert.Equal(DraftStatus.Draft, before.Value);
        Assert.Equal(MailStepOutcome.Done, sent.Outcome);
        Assert.Equal(DraftStatus.Sent, after.Value);
        var message = Assert.Single(_graph.SentMessages);
        Assert.Equal(draft.Value!.Id, message.MessageId);
        Assert.Equal(Sender, draft.Value.Mailbox);
        Assert.Equal(Sender, message.Sender);
        Assert.Equal("mail|survey-invite|c1|v1", message.OutboxKey);
        Assert.Equal(["vendor@example.com"], message.To);
        Assert.Equal(["buyer@contoso.example"], message.Cc);
        Assert.Equal(mail.Subject, message.Subject);
        Assert.Equal("html", message.BodyContentType, ignoreCase: true);
        Assert.Equal(mail.HtmlBody, message.Body);
        Assert.Equal($"Bearer {GraphFakeCredential.DefaultToken}", message.Authorization);
        Assert.All(_graph.Requests, request => Assert.Equal($"Bearer {GraphFakeCredential.DefaultToken}", request.Authorization));
        Assert.All(_graph.Requests, request => Assert.Equal("IdType=\"ImmutableId\"", request.Prefer));
        Assert.Contains(GraphPipeline.GraphScope, _credential.RequestedScopes);
    }

    [Fact]
    public async Task ThrottledSendIsRetryLaterWithTheServersDelayAndIsNotReplayed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport();
        var draft = await transport.CreateDraftAsync(Mail("throttled"), cancellationToken);
        // Short enough that the SDK's default retry handler would wait it out and succeed, failing this test.
        _graph.ThrottleNext(1, TimeSpan.FromSeconds(2), GraphFakeEndpoint.SendDraft);

        var sent = await transport.SendDraftAsync(draft.Value!, cancellationToken);

        Assert.Equal(MailStepOutcome.RetryLater, sent.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(2), sent.RetryAfter);
        Assert.Equal(1, _graph.Count(GraphFakeEndpoint.SendDraft));
        Assert.Empty(_graph.SentMessages);
    }

    [Fact]
    public async Task RetryAfterGivenAsAnHttpDateBecomesADelay()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        await using var graph = await GraphFake.StartAsync(cancellationToken, clock);
        using var transport = Transport(options => options.BaseUrl = graph.BaseUrl, clock);
        graph.ThrottleNext(1, TimeSpan.FromSeconds(30), GraphFakeEndpoint.CreateDraft, retryAfterAsHttpDate: true);

        var draft = await transport.CreateDraftAsync(Mail("throttled-date"), cancellationToken);

        Assert.Equal(MailStepOutcome.RetryLater, draft.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), draft.RetryAfter);
        Assert.Equal("Tue, 24 Nov 2026 09:00:30 GMT", Assert.Single(graph.Requests).RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task UnavailableGraphIsRetryLaterAndIsNotReplayed(HttpStatusCode status)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport();
        _graph.FailNext(1, status);

        var draft = await transport.CreateDraftAsync(Mail("unavailable"), cancellationToken);

        Assert.Equal(MailStepOutcome.RetryLater, draft.Outcome);
        Assert.Null(draft.RetryAfter);
        Assert.Equal(1, _graph.Count(GraphFakeEndpoint.CreateDraft));
        Assert.Equal(0, _graph.DraftCount);
    }

    [Fact]
    public async Task AnInvalidRecipientIsRejectedWithAHumanMessage()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport();
        _graph.RejectRecipient("vendor@example.com");
        var draft = await transport.CreateDraftAsync(Mail("bad-recipient"), cancellationToken);

        var sent = await transport.SendDraftAsync(draft.Value!, cancellationToken);

        Assert.Equal(MailStepOutcome.Rejected, sent.Outcome);
        Assert.StartsWith("Exchange refused a recipient address:", sent.Detail, StringComparison.Ordinal);
        Assert.Contains("vendor@example.com", sent.Detail, StringComparison.Ordinal);
        Assert.Empty(_graph.SentMessages);
    }

    [Fact]
    public async Task OtherClientErrorsAreRejectedWithGraphsCodeAndMessage()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport();
        _graph.FailNext(1, HttpStatusCode.BadRequest, GraphFakeEndpoint.CreateDraft, "ErrorInvalidProperty", "The property 'x' is not valid.");

        var draft = await transport.CreateDraftAsync(Mail("bad-request"), cancellationToken);

        Assert.Equal(MailStepOutcome.Rejected, draft.Outcome);
        Assert.Contains("ErrorInvalidProperty", draft.Detail, StringComparison.Ordinal);
        Assert.Contains("The property 'x' is not valid.", draft.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "InvalidAuthenticationToken")]
    [InlineData(HttpStatusCode.Forbidden, "ErrorAccessDenied")]
    public async Task RefusedAccessIsRetryLaterNamingThePermissionsAndIsLoggedAsAnError(HttpStatusCode status, string code)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport();
        _graph.FailNext(1, status, GraphFakeEndpoint.CreateDraft, code);

        var draft = await transport.CreateDraftAsync(Mail("no-permission"), cancellationToken);

        Assert.Equal(MailStepOutcome.RetryLater, draft.Outcome);
        Assert.Contains("permissions", draft.Detail, StringComparison.Ordinal);
        Assert.Contains(code, draft.Detail, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Error, _logger.LatestRecord.Level);
    }

    [Fact]
    public async Task StatusOfAnUnknownDraftIsMissing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport();

        var status = await transport.GetDraftStatusAsync(new MailDraft("AAkALgdoesnotexistAAA=", Sender), cancellationToken);

        Assert.Equal(MailStepOutcome.Done, status.Outcome);
        Assert.Equal(DraftStatus.Missing, status.Value);
    }

    [Fact]
    public async Task ALostSendResponseIsRetryLaterAndTheDraftThenReadsAsSent()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport();
        var draft = await transport.CreateDraftAsync(Mail("lost-response"), cancellationToken);
        _graph.LoseNextSendResponses();

        var sent = await transport.SendDraftAsync(draft.Value!, cancellationToken);
        var status = await transport.GetDraftStatusAsync(draft.Value!, cancellationToken);

        Assert.Equal(MailStepOutcome.RetryLater, sent.Outcome);
        Assert.Equal(DraftStatus.Sent, status.Value);
        Assert.Single(_graph.SentMessages);
        Assert.Equal(1, _graph.Count(GraphFakeEndpoint.SendDraft));
    }

    [Fact]
    public async Task ASentMessageNotVisibleYetReadsAsMissingUntilItIs()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport();
        _graph.HideSentMessagesFromReads(2);
        var draft = await transport.CreateDraftAsync(Mail("not-visible-yet"), cancellationToken);
        await transport.SendDraftAsync(draft.Value!, cancellationToken);

        var first = await transport.GetDraftStatusAsync(draft.Value!, cancellationToken);
        var second = await transport.GetDraftStatusAsync(draft.Value!, cancellationToken);
        var third = await transport.GetDraftStatusAsync(draft.Value!, cancellationToken);

        Assert.Equal([DraftStatus.Missing, DraftStatus.Missing, DraftStatus.Sent], [first.Value, second.Value, third.Value]);
    }

    [Fact]
    public async Task AtMostMaxConcurrentRequestsAreInFlight()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport(options => options.MaxConcurrentRequests = 2);
        var drafts = new List<MailDraft>();
        for (var i = 0; i < 10; i++)
        {
            drafts.Add((await transport.CreateDraftAsync(Mail($"parallel-{i}"), cancellationToken)).Value!);
        }

        _graph.ResponseDelay = TimeSpan.FromMilliseconds(100);
        _graph.ResetMaxInFlight();

        var sent = await Task.WhenAll(drafts.Select(draft => transport.SendDraftAsync(draft, cancellationToken)));

        Assert.All(sent, step => Assert.Equal(MailStepOutcome.Done, step.Outcome));
        Assert.Equal(10, _graph.SentMessages.Count);
        Assert.Equal(2, _graph.MaxInFlight);
    }

    [Fact]
    public async Task EveryStepOfADraftGoesToTheMailboxItWasCreatedIn()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport(senders: [Sender, SecondSender]);

        var drafts = new List<MailDraft>();
        for (var i = 0; i < 4; i++)
        {
            drafts.Add((await transport.CreateDraftAsync(Mail($"spread-{i}"), cancellationToken)).Value!);
        }

        foreach (var draft in drafts)
        {
            Assert.Equal(MailStepOutcome.Done, (await transport.SendDraftAsync(draft, cancellationToken)).Outcome);
            Assert.Equal(DraftStatus.Sent, (await transport.GetDraftStatusAsync(draft, cancellationToken)).Value);
        }

        // Taken in turn, so a campaign is spread evenly; the fake answers 404 to a message asked for in another mailbox.
        Assert.Equal(2, drafts.Count(draft => draft.Mailbox == Sender));
        Assert.Equal(2, drafts.Count(draft => draft.Mailbox == SecondSender));
        Assert.All(_graph.SentMessages, message => Assert.Equal(drafts.Single(draft => draft.Id == message.MessageId).Mailbox, message.Sender));
        Assert.DoesNotContain(_graph.Requests, request => request.Status == HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ADraftRecordedWithoutAMailboxIsTheFirstMailboxs()
    {
        // Rows drafted before the mailbox was recorded had one mailbox, Graph:SenderMailbox, which stays first in the list.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var single = Transport();
        var draft = (await single.CreateDraftAsync(Mail("legacy"), cancellationToken)).Value!;
        using var transport = Transport(senders: [Sender, SecondSender]);

        var sent = await transport.SendDraftAsync(draft with { Mailbox = null }, cancellationToken);

        Assert.Equal(MailStepOutcome.Done, sent.Outcome);
        Assert.Equal(Sender, Assert.Single(_graph.SentMessages).Sender);
    }

    [Fact]
    public async Task ASendOverTheDailyCapIsDeferredWithoutARequest()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 30, 0, TimeSpan.Zero)); // 10:30 in Japan
        var storage = await LimitsStorageAsync(cancellationToken);
        using var transport = Transport(options => { options.MessagesPerMinute = 6_000; options.RecipientsPerDay = 2; }, clock, storage: storage); // each mail: a To and a Cc
        var first = (await transport.CreateDraftAsync(Mail("cap-1"), cancellationToken)).Value!;
        var second = (await transport.CreateDraftAsync(Mail("cap-2"), cancellationToken)).Value!;

        var sent = await transport.SendDraftAsync(first, cancellationToken);
        clock.Advance(TimeSpan.FromSeconds(1));
        var deferred = await transport.SendDraftAsync(second, cancellationToken);
        var third = await transport.CreateDraftAsync(Mail("cap-3"), cancellationToken);

        Assert.Equal(MailStepOutcome.Done, sent.Outcome);
        Assert.Equal(MailStepOutcome.Deferred, deferred.Outcome);
        Assert.Equal(MailLimits.DailyRecipients, deferred.Limit);
        // The 10:00 hour leaves the 24-hour window at 11:00 the next day (Japan time).
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero) - clock.GetUtcNow(), deferred.RetryAfter);
        Assert.Contains("2026-12-03 11:00 (Japan time)", deferred.Detail, StringComparison.Ordinal);
        Assert.Equal(1, _graph.Count(GraphFakeEndpoint.SendDraft));
        Assert.Equal(MailStepOutcome.Deferred, third.Outcome); // no mailbox has room: not even a draft is made
        Assert.Equal(2, _graph.Count(GraphFakeEndpoint.CreateDraft));
    }

    [Fact]
    public async Task AMailSentOnItsOwnCostsTheSharedLimitsSevenStorageOperations()
    {
        // Each of its two calls takes a slot (a query, a write) and frees it (a write); the send also writes the rate
        // row (this process's copy of it is current: no read). An instance with more calls waiting for the mailbox hands
        // its slot from one call to the next in memory instead, which leaves about one write per mail.
        var cancellationToken = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
        var options = new GraphMailOptions { BaseUrl = _graph.BaseUrl, MessagesPerMinute = 6_000 };
        var limiter = Limiter(options, clock, await LimitsStorageAsync(cancellationToken));
        using var transport = Transport(configure => configure.MessagesPerMinute = 6_000, clock, limiter: limiter);
        await transport.SendDraftAsync((await transport.CreateDraftAsync(Mail("first"), cancellationToken)).Value!, cancellationToken);
        var before = limiter.StorageOperations; // the first mail also read the rate row (to choose a mailbox with room)

        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var draft = await transport.CreateDraftAsync(Mail($"alone-{i}"), cancellationToken);
            Assert.Equal(MailStepOutcome.Done, (await transport.SendDraftAsync(draft.Value!, cancellationToken)).Outcome);
        }

        Assert.Equal(3 * 7, limiter.StorageOperations - before);
        Assert.Equal(4, _graph.SentMessages.Count);
    }

    [Fact]
    public async Task ZeroMessagesPerMinuteKeepsEveryLimitInTheProcessAndTouchesNoStorage()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var limiter = Limiter(new GraphMailOptions { MessagesPerMinute = 0 }, TimeProvider.System);
        using var transport = Transport(limiter: limiter);

        var draft = (await transport.CreateDraftAsync(Mail("unlimited"), cancellationToken)).Value!;
        await transport.SendDraftAsync(draft, cancellationToken);

        Assert.False(limiter.IsShared);
        Assert.Equal(0, limiter.StorageOperations);
        Assert.Single(_graph.SentMessages);
    }

    [Fact]
    public async Task ASlowAnswerTimesOutAsRetryLater()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport(options => options.RequestTimeout = TimeSpan.FromMilliseconds(200));
        _graph.ResponseDelay = TimeSpan.FromSeconds(5);

        var draft = await transport.CreateDraftAsync(Mail("slow"), cancellationToken).WaitAsync(Patience, cancellationToken);

        Assert.Equal(MailStepOutcome.RetryLater, draft.Outcome);
        Assert.Contains("did not answer", draft.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableGraphIsRetryLater()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var transport = Transport(options => options.BaseUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/v1.0"));

        var draft = await transport.CreateDraftAsync(Mail("unreachable"), cancellationToken);

        Assert.Equal(MailStepOutcome.RetryLater, draft.Outcome);
        Assert.Contains("could not be reached", draft.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerCancellationIsNotAnOutcome()
    {
        using var transport = Transport();
        _graph.ResponseDelay = TimeSpan.FromSeconds(5);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transport.CreateDraftAsync(Mail("cancelled"), cancellation.Token));
    }

    private GraphMailTransport Transport(
        Action<GraphMailOptions>? configure = null,
        TimeProvider? timeProvider = null,
        IReadOnlyList<string>? senders = null,
        MailboxLimiter? limiter = null,
        FunctionsPortal.Storage.PortalStorage? storage = null)
    {
        var options = new GraphMailOptions { BaseUrl = _graph.BaseUrl, MessagesPerMinute = 0 };
        configure?.Invoke(options);
        var graphOptions = senders is null ? new GraphOptions { SenderMailbox = Sender } : new GraphOptions { SenderMailboxes = [.. senders] };
        return new GraphMailTransport(
            Options.Create(options),
            Options.Create(graphOptions),
            _credential,
            limiter ?? Limiter(options, timeProvider ?? TimeProvider.System, storage),
            timeProvider ?? TimeProvider.System,
            _logger);
    }

    /// <summary>A limiter the test disposes with the class (its semaphores); storage only matters when MessagesPerMinute &gt; 0.</summary>
    private MailboxLimiter Limiter(GraphMailOptions options, TimeProvider timeProvider, FunctionsPortal.Storage.PortalStorage? storage = null)
    {
        var limiter = new MailboxLimiter(Options.Create(options), storage ?? azurite.CreateStorage(), timeProvider);
        _limiters.Add(limiter);
        return limiter;
    }

    private async Task<FunctionsPortal.Storage.PortalStorage> LimitsStorageAsync(CancellationToken cancellationToken)
    {
        var storage = azurite.CreateStorage();
        await storage.GetTable(MailboxLimiter.TableName).CreateIfNotExistsAsync(cancellationToken);
        return storage;
    }

    private static OutgoingMail Mail(string outboxKey) => new(
        outboxKey,
        new MailAddressee("vendor@example.com", "Vendor KK"),
        [new MailAddressee("buyer@contoso.example")],
        "自己評価のお願い / Self-assessment request",
        "<p>ご回答ください。</p><p>Please answer.</p>",
        "ご回答ください。\nPlease answer.");
}
