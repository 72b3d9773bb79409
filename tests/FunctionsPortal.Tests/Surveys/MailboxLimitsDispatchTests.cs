using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsPortal.Auth;
using FunctionsPortal.Graph;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>
/// Exchange's limits are per mailbox, whichever instance sends: campaigns sent by two instances of the app (same
/// storage, same Graph) over two sender mailboxes, measured where it counts — the times the Graph fake saw.
/// </summary>
public sealed class MailboxLimitsDispatchTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int PerMinute = 6;
    private const int Concurrent = 2;
    private static readonly string[] Senders = ["surveys-a@our-company.example.jp", "surveys-b@our-company.example.jp"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TestAppRoot _root = TestAppRoot.CopyOfApp(host =>
    {
        host["extensions"]!["queues"]!["visibilityTimeout"] = "00:00:00";
        host["extensions"]!["queues"]!["maxPollingInterval"] = "00:00:00.200";
    });

    private readonly string _prefix = AzuriteFixture.NewPrefix();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _root.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task TwoInstancesSendingACampaignStayWithinEachMailboxsRateAndConcurrency()
    {
        const int vendors = 14; // however they split over the two mailboxes, one gets more than a minute's worth
        await using var graph = await GraphFake.StartAsync(Token);
        graph.ResponseDelay = TimeSpan.FromMilliseconds(150); // calls overlap, so concurrency is really tested
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:RunInProcess"] = "true",
            ["Jobs:AppRoot"] = _root.Path,
            ["GraphMail:MessagesPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GraphMail:MaxConcurrentRequests"] = Concurrent.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:RetryBaseDelay"] = "00:00:00.100",
        };
        await using var first = App(graph, settings);
        await using var second = App(graph, settings); // the same prefix: the same tables and queue
        await SeedAsync(first, vendors);
        _ = second.Services; // both poll the queue and drive the outbox
        var started = DateTimeOffset.UtcNow;

        var launch = await LaunchAsync(first, vendors);
        await Eventually.ValueAsync(
            () => InvitedAsync(first, launch),
            invited => invited >= vendors,
            invited => $"every vendor to be invited (only {invited} of {vendors}; the fake sent {graph.SentMessages.Count})",
            TimeSpan.FromMinutes(4), TimeSpan.FromMilliseconds(500), Token);

        var elapsed = DateTimeOffset.UtcNow - started;
        var sent = graph.SentMessages.Where(message => message.OutboxKey?.StartsWith(launch.Campaign.Id, StringComparison.Ordinal) == true).ToList();
        var perMailbox = sent.GroupBy(message => message.Sender.ToLowerInvariant()).ToDictionary(group => group.Key, group => group.Select(message => message.SentAt).ToList());
        var inFlight = graph.MaxInFlightByMailbox;
        var operations = first.Services.GetRequiredService<MailboxLimiter>().StorageOperations + second.Services.GetRequiredService<MailboxLimiter>().StorageOperations;
        foreach (var (mailbox, times) in perMailbox)
        {
            var sorted = times.Order().ToList();
            var tightest = sorted.Count > PerMinute ? sorted.Skip(PerMinute).Zip(sorted, (later, earlier) => later - earlier).Min() : (TimeSpan?)null;
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{mailbox}: {times.Count} sent, at most {MostInAnyWindow(times, TimeSpan.FromMinutes(1))} in any 60 s (the shortest span of {PerMinute + 1} sends: {tightest?.TotalSeconds:F2} s), at most {inFlight.GetValueOrDefault(mailbox)} requests in flight");
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{sent.Count} mails in {elapsed.TotalSeconds:F0} s; limiter storage operations {operations} ({(double)operations / sent.Count:F1} per mail)");

        Assert.Equal(vendors, sent.Count);
        Assert.Equal(vendors, sent.Select(message => message.OutboxKey).Distinct().Count());
        Assert.Equal(Senders, perMailbox.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(perMailbox.Values, times => times.Count > PerMinute); // a mailbox that could have gone over
        Assert.All(perMailbox, pair => Assert.True(
            MostInAnyWindow(pair.Value, TimeSpan.FromMinutes(1)) <= PerMinute,
            $"{pair.Key} sent {MostInAnyWindow(pair.Value, TimeSpan.FromMinutes(1))} messages within 60 s: {string.Join(", ", pair.Value.Order().Select(time => time.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)))}"));
        Assert.All(Senders, mailbox => Assert.InRange(inFlight.GetValueOrDefault(mailbox), 1, Concurrent));
        // Both instances sent: the limits held across processes, not just within one.
        Assert.All(new[] { first, second }, app => Assert.Contains(app.Logs.GetSnapshot(), record => record.Message.StartsWith("Graph draft", StringComparison.Ordinal) && record.Message.Contains(" sent from ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WhatExceedsTheDailyCapWaitsVisiblyForTheNextDayAndIsThenSent()
    {
        const int vendors = 6;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero)); // 10:00 in Japan
        await using var graph = await GraphFake.StartAsync(Token, clock);
        await using var app = App(graph, new Dictionary<string, string?>
        {
            ["GraphMail:MessagesPerMinute"] = "6000",
            ["GraphMail:RecipientsPerDay"] = "2",
        }, clock);
        await SeedAsync(app, vendors);
        using var staff = app.CreateStaffClient(StaffRoles.Admin);

        // Jobs run by hand (the clock is fake): each message a second after the previous one. The invitations come in one
        // batched message, and the limiter spaces a mailbox's sends (10 ms apart at 6,000 a minute) by waiting on the
        // clock, so the fake clock keeps moving while the batch is sent (well inside the 10:00 hour).
        var launch = await LaunchAsync(app, vendors);
        using (var sending = new CancellationTokenSource())
        {
            var ticking = Task.Run(async () =>
            {
                while (!sending.IsCancellationRequested)
                {
                    clock.Advance(TimeSpan.FromMilliseconds(20));
                    await Task.Delay(5, CancellationToken.None);
                }
            }, CancellationToken.None);
            await SurveyMailDrain.DrainAsync(app.Services, Token, () => clock.Advance(TimeSpan.FromSeconds(1)));
            await sending.CancelAsync();
            await ticking;
        }

        var today = await DeliveryAsync(staff, launch);
        var waiting = (await AssignmentsAsync(app, launch)).First(assignment => assignment.Status != AssignmentStatus.Invited);
        var shown = Assert.Single((await staff.GetFromJsonAsync<AssignmentDetails>($"/api/assignments/{waiting.Key}", Json, Token))!.Mails);

        // The 10:00 hour leaves the rolling 24 hours at 11:00 the next day: the sweep then sends what waited.
        clock.SetUtcNow(today.LastDeferredUntil!.Value + TimeSpan.FromSeconds(1));
        var invoker = app.Services.GetRequiredService<FunctionInvoker>();
        Assert.True((await invoker.InvokeAsync(MailOutboxSweepJob.FunctionName, "next-day", InvocationPayload.Empty, "timer", Token)).Succeeded);
        var nextDay = await DeliveryAsync(staff, launch);

        Assert.Equal(vendors, today.Mails);
        Assert.Equal(4, today.ByState[MailStates.Sent]);
        Assert.Equal(2, today.ByState[MailStates.Pending]); // no mailbox had room: not even a draft was made
        Assert.Equal(2, today.DeferredToLaterDay);
        Assert.Equal(2, today.DeferredByLimit[MailLimits.DailyRecipients]);
        Assert.Equal(new Dictionary<string, int> { [Senders[0]] = 2, [Senders[1]] = 2 }, today.SentBySender);
        Assert.InRange(today.LastDeferredUntil!.Value, new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 3, 2, 0, 2, TimeSpan.Zero));
        Assert.Equal(MailStates.Pending, shown.State);
        Assert.Equal(MailLimits.DailyRecipients, shown.DeferredBy);
        Assert.Equal(new DateOnly(2026, 12, 3), DateOnly.FromDateTime(shown.NextAttemptAt!.Value.ToOffset(TimeSpan.FromHours(9)).DateTime));
        Assert.Contains("deferred to 2026-12-03 11:00 (Japan time)", shown.LastError, StringComparison.Ordinal);

        Assert.Equal(vendors, await InvitedAsync(app, launch));
        Assert.Equal(vendors, nextDay.ByState[MailStates.Sent]);
        Assert.Equal(0, nextDay.DeferredToLaterDay);
        Assert.Empty(nextDay.DeferredByLimit);
        Assert.Equal(vendors, graph.SentMessages.Count);
        foreach (var mailbox in graph.SentMessages.GroupBy(message => message.Sender))
        {
            var times = mailbox.Select(message => message.SentAt).Order().ToList();
            Assert.Equal(3, times.Count);
            Assert.True(times[2] - times[0] >= TimeSpan.FromHours(24), $"{mailbox.Key} sent 3 recipients within 24 hours: {string.Join(", ", times)}");
        }
    }

    [Fact]
    public async Task ACampaignThatDoesNotExistHasNoDelivery()
    {
        await using var graph = await GraphFake.StartAsync(Token);
        await using var app = App(graph, new Dictionary<string, string?>());
        await app.Services.WhenStorageReadyAsync();
        using var staff = app.CreateStaffClient(StaffRoles.Reviewer);

        using var response = await staff.GetAsync("/api/campaigns/c20261224-0000000000/delivery", Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is no campaign c20261224-0000000000.", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    /// <summary>The most sends that fall within one window of that length, wherever it starts.</summary>
    private static int MostInAnyWindow(IReadOnlyList<DateTimeOffset> times, TimeSpan window)
    {
        var sorted = times.Order().ToList();
        var most = 0;
        for (int from = 0, to = 0; from < sorted.Count; from++)
        {
            while (to < sorted.Count && sorted[to] - sorted[from] < window)
            {
                to++;
            }

            most = Math.Max(most, to - from);
        }

        return most;
    }

    private PortalApplication App(GraphFake graph, Dictionary<string, string?> settings, FakeTimeProvider? clock = null)
    {
        settings["Graph:SenderMailboxes:0"] = Senders[0];
        settings["Graph:SenderMailboxes:1"] = Senders[1];
        settings["GraphMail:BaseUrl"] = graph.BaseUrl.ToString();
        settings["Surveys:PortalBaseUrl"] = "https://portal.test";
        return new PortalApplication(azurite.ConnectionString, _prefix, settings, GraphCampaign.UseFakeCredential, clock);
    }

    private static Task SeedAsync(PortalApplication app, int vendors) => GraphCampaign.SeedVendorsAsync(app, "limit-vendor", vendors, Token);

    private static Task<CampaignLaunch> LaunchAsync(PortalApplication app, int vendors) => GraphCampaign.LaunchAsync(app, "limit-vendor", vendors, Token);

    private static Task<IReadOnlyList<Assignment>> AssignmentsAsync(PortalApplication app, CampaignLaunch launch) =>
        app.Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(Cycle: launch.Campaign.Id), Token);

    private static Task<int> InvitedAsync(PortalApplication app, CampaignLaunch launch) => GraphCampaign.InvitedAsync(app, launch, Token);

    private static async Task<CampaignDelivery> DeliveryAsync(HttpClient staff, CampaignLaunch launch) =>
        (await staff.GetFromJsonAsync<CampaignDelivery>($"/api/campaigns/{launch.Campaign.Id}/delivery", Json, Token))!;
}
