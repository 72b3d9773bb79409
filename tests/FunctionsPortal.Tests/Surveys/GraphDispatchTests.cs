using System.Net;
using FunctionsPortal.Jobs;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>
/// Exactly-once dispatch through Microsoft Graph (the loopback fake speaking Graph's JSON) under the failures that
/// make it hard: duplicate planner runs, two workers, a 429 storm, 5xx bursts, lost responses, and a storage outage.
/// "Exactly once" is counted where it matters: the messages the fake mailbox actually sent, per outbox key.
/// </summary>
public sealed class GraphDispatchTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int Vendors = 20;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private readonly TestAppRoot _root = TestAppRoot.CopyOfApp(host =>
    {
        host["extensions"]!["queues"]!["visibilityTimeout"] = "00:00:00";
        host["extensions"]!["queues"]!["maxPollingInterval"] = "00:00:00.200";
    });

    private readonly string _prefix = AzuriteFixture.NewPrefix();
    private GraphFake _graph = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _graph = await GraphFake.StartAsync(Token);

    private PortalApplication App(string connectionString) => new(connectionString, _prefix, new Dictionary<string, string?>
    {
        ["Jobs:RunInProcess"] = "true",
        ["Jobs:AppRoot"] = _root.Path,
        ["Graph:SenderMailbox"] = "surveys@our-company.example.jp",
        ["GraphMail:BaseUrl"] = _graph.BaseUrl.ToString(),
        ["GraphMail:MessagesPerMinute"] = "0",
        ["Surveys:PortalBaseUrl"] = "https://portal.test",
        ["Mail:Lease"] = "00:00:10", // a worker killed by the outage frees its rows sooner than in production
        ["Mail:RetryBaseDelay"] = "00:00:00.100",
    }, GraphCampaign.UseFakeCredential);

    private static Task SeedAsync(PortalApplication app) => GraphCampaign.SeedVendorsAsync(app, "g-vendor", Vendors, Token);

    private static Task<CampaignLaunch> LaunchAsync(PortalApplication app) => GraphCampaign.LaunchAsync(app, "g-vendor", Vendors, Token);

    private static Task<int> InvitedCountAsync(PortalApplication app, CampaignLaunch launch) => GraphCampaign.InvitedAsync(app, launch, Token);

    private async Task AssertEveryVendorInvitedExactlyOnceAsync(PortalApplication app, CampaignLaunch launch)
    {
        await Eventually.ValueAsync(
            () => InvitedCountAsync(app, launch),
            invited => invited >= Vendors,
            invited => $"every vendor to be invited (only {invited} of {Vendors}; fake sent {_graph.SentMessages.Count})",
            Wait, TimeSpan.FromMilliseconds(200), Token);

        await Task.Delay(1000, Token); // let any straggling duplicate show itself
        var sent = _graph.SentMessages.Where(message => message.OutboxKey?.StartsWith(launch.Campaign.Id, StringComparison.Ordinal) == true).ToList();
        var perKey = sent.GroupBy(message => message.OutboxKey!).ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(Vendors, perKey.Count);
        Assert.All(perKey, pair => Assert.True(pair.Value == 1, $"{pair.Key} was sent {pair.Value} times"));
        Assert.All(sent, message => Assert.Equal($"Bearer {GraphFakeCredential.DefaultToken}", message.Authorization));
    }

    [Fact]
    public async Task DuplicatePlannerRunsAndA429StormStillSendEachInvitationOnce()
    {
        await using var app = App(azurite.ConnectionString);
        await SeedAsync(app);
        _graph.ThrottleNext(40, TimeSpan.FromMilliseconds(300));

        var launch = await LaunchAsync(app);
        var invoker = app.Services.GetRequiredService<FunctionInvoker>();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => invoker.InvokeAsync(PlanSurveysJob.FunctionName, $"dup-{i}", InvocationPayload.Empty, "timer", Token)));

        await AssertEveryVendorInvitedExactlyOnceAsync(app, launch);
        Assert.True(_graph.Count(GraphFakeEndpoint.CreateDraft) + _graph.Count(GraphFakeEndpoint.SendDraft) > Vendors, "the storm was really there");
    }

    [Fact]
    public async Task BurstsOf5xxAndLostResponsesStillSendEachInvitationOnce()
    {
        await using var app = App(azurite.ConnectionString);
        await SeedAsync(app);
        _graph.FailNext(15, HttpStatusCode.ServiceUnavailable);
        _graph.LoseNextSendResponses(5);
        _graph.HideSentMessagesFromReads(2);

        var launch = await LaunchAsync(app);

        await AssertEveryVendorInvitedExactlyOnceAsync(app, launch);
    }

    [Fact]
    public async Task TwoWorkersOnTheSameQueueSendEachInvitationOnce()
    {
        await using var first = App(azurite.ConnectionString);
        await using var second = App(azurite.ConnectionString);
        await SeedAsync(first);
        _ = second.Services; // both poll the same queue and outbox
        _graph.ResponseDelay = TimeSpan.FromMilliseconds(30);

        var launch = await LaunchAsync(first);

        await AssertEveryVendorInvitedExactlyOnceAsync(first, launch);
    }

    [Fact]
    public async Task AStorageOutageInTheMiddleOfACampaignLosesNothingAndDuplicatesNothing()
    {
        var location = Path.Combine(Path.GetTempPath(), "fp-azurite-" + Guid.NewGuid().ToString("N"));
        await using var storage = new AzuriteProcess(location);
        await storage.StartAsync(Token);
        await using var app = App(storage.ConnectionString);
        await SeedAsync(app);
        _graph.ResponseDelay = TimeSpan.FromMilliseconds(40);

        var launch = await LaunchAsync(app);
        await Eventually.UntilAsync(
            () => _graph.SentMessages.Count >= 3,
            () => $"the first 3 invitations sent before the outage (fake sent {_graph.SentMessages.Count})",
            Wait, TimeSpan.FromMilliseconds(20), Token);

        await storage.StopAsync();
        await Task.Delay(1500, Token);
        await storage.StartAsync(Token);
        // Work that was in flight when storage vanished is picked up by the sweep (what the timer does every two minutes).
        var invoker = app.Services.GetRequiredService<FunctionInvoker>();
        await Eventually.ValueAsync(
            async () =>
            {
                var invited = await InvitedCountAsync(app, launch);
                if (invited < Vendors)
                {
                    await invoker.InvokeAsync("MailOutboxSweep", Guid.NewGuid().ToString(), InvocationPayload.Empty, "timer", Token);
                    await invoker.InvokeAsync(PlanSurveysJob.FunctionName, Guid.NewGuid().ToString(), InvocationPayload.Empty, "timer", Token);
                }

                return invited;
            },
            invited => invited >= Vendors,
            invited => $"the sweeps to invite every vendor after the outage (only {invited} of {Vendors}; fake sent {_graph.SentMessages.Count})",
            Wait, TimeSpan.FromMilliseconds(500), Token);

        await AssertEveryVendorInvitedExactlyOnceAsync(app, launch);
        await app.DisposeAsync();
        await storage.StopAsync();
        Directory.Delete(location, recursive: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _graph.DisposeAsync();
        _root.Dispose();
    }
}
