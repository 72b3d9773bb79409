using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using FunctionsPortal.Checklists;
using FunctionsPortal.Mail;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>
/// Issue 12's production fault run, reproduced end to end: two portal instances — real processes of the built app,
/// standalone, each with its own scheduler and queue poller, so every timer fires on both — share one Azurite and one
/// storage prefix; Graph answers 20 % of calls 429 and 5 % 5xx at random (seeded); Azurite is stopped and restarted
/// mid-dispatch; one instance is SIGKILLed while it sends and started again. Every assignment must be mailed exactly
/// once, counted where it matters: in the fake mailbox's sent items. The counts go to the test output and into every
/// failure message.
/// </summary>
public sealed partial class DispatchFaultRunTests
{
    private const int Vendors = 200;
    private const int Seed = 20_261_212;
    private const double ThrottleRate = 0.20;
    private const double ServerErrorRate = 0.05;
    private const string CampaignId = "c-faultrun";
    private const string Sender = "surveys@our-company.example.jp";

    /// <summary>Roughly what Graph's mail calls take; it also keeps the dispatch long enough for the kill and the outage to land in it.</summary>
    private static readonly TimeSpan GraphLatency = TimeSpan.FromMilliseconds(300);

    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(4);

    /// <summary>The longest any one step may take (generous: the machine running the suite may be busy with other tests).</summary>
    private static readonly TimeSpan DispatchTimeout = TimeSpan.FromMinutes(4);

    /// <summary>No Graph call for this long, every row sent: nothing is left that could still send a second copy.</summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task EveryAssignmentIsMailedExactlyOnceThroughDuplicateTimersGraphFaultsAStorageOutageAndAKilledInstance()
    {
        var token = TestContext.Current.CancellationToken;
        var location = Path.Combine(Path.GetTempPath(), "fp-faultrun-" + Guid.NewGuid().ToString("N"));
        try
        {
            await RunAsync(location, token);
        }
        finally
        {
            // Azurite, the instances and the fakes are all stopped by now (await using, in reverse order).
            if (Directory.Exists(location))
            {
                Directory.Delete(location, recursive: true);
            }
        }
    }

    private static async Task RunAsync(string location, CancellationToken token)
    {
        var wall = Stopwatch.StartNew();
        var run = new FaultRun(wall);
        await using var storage = new AzuriteProcess(location); // on disk, so the outage is an outage, not a wipe
        await storage.StartAsync(token);
        await using var graph = await GraphFake.StartAsync(token);
        await using var identity = await ManagedIdentityFake.StartAsync(token);
        var prefix = AzuriteFixture.NewPrefix();

        // The test's own view of the storage (seeding, launching, reading back); it runs no timers or queues itself.
        await using var portal = new PortalApplication(storage.ConnectionString, prefix);
        await using var a = new PortalProcess("a", InstanceSettings(storage, prefix, graph, identity.EnvironmentFor("a")));
        await using var b = new PortalProcess("b", InstanceSettings(storage, prefix, graph, identity.EnvironmentFor("b")));
        PortalProcess[] instances = [a, b];
        graph.ResponseDelay = GraphLatency;
        graph.FailAtRandom(Seed, ThrottleRate, ServerErrorRate, retryAfter: TimeSpan.FromSeconds(1));

        string Counts() => run.Report(graph, identity, instances);
        try
        {
            await Task.WhenAll(SeedAsync(portal, token), a.StartAsync(token), b.StartAsync(token));
            run.Mark("ready");
            // The instances' planner timers may create some assignments first (they see the campaign as soon as it is stored).
            run.CreatedByLaunch = (await LaunchAsync(portal, token)).Report.Created;
            run.Mark("launched");

            // 1. Kill instance a (SIGKILL) while it is sending, then start it again.
            await Eventually.UntilAsync(
                () => FaultRun.SentBy(graph, identity, "a") >= 10,
                () => "instance a to send 10 invitations before it is killed",
                DispatchTimeout, TimeSpan.FromMilliseconds(20), token);
            run.SentAtKill = FaultRun.DistinctSent(graph);
            await a.KillAsync();
            run.Mark("a killed");
            await a.StartAsync(token);
            run.Mark("a restarted");

            // 2. Storage goes away for a few seconds while mail is flowing, then comes back on the same ports with its data.
            await Eventually.UntilAsync(
                () => FaultRun.DistinctSent(graph) >= Vendors / 2,
                () => "half the invitations sent before the storage outage",
                DispatchTimeout, TimeSpan.FromMilliseconds(20), token);
            run.SentAtOutage = FaultRun.DistinctSent(graph);
            var outage = Stopwatch.StartNew();
            run.Mark("outage");
            await storage.StopAsync();
            run.Outages++;
            run.Mark("storage stopped");
            await Task.Delay(OutageLength, token); // the outage itself: nothing to wait for, it just lasts
            await storage.StartAsync(token);
            run.Mark("storage back");
            run.Downtime = outage.Elapsed; // stopping and restarting Azurite (reloading its data) add to the pause

            // 3. Everything settles: every assignment invited, every outbox row sent, and Graph quiet.
            var assignments = portal.Services.GetRequiredService<AssignmentStore>();
            var final = await Eventually.ValueAsync(
                async () => run.Assignments = await assignments.ListAsync(new AssignmentQuery(Cycle: CampaignId), token),
                list => list.Count == Vendors && list.All(assignment => assignment.Status == AssignmentStatus.Invited) && FaultRun.DistinctSent(graph) >= Vendors,
                list => $"every assignment invited and mailed ({list.Count(assignment => assignment.Status == AssignmentStatus.Invited)} of {list.Count} invited, {FaultRun.DistinctSent(graph)} mailed)",
                DispatchTimeout, TimeSpan.FromMilliseconds(500), token);
            run.Created = final.Count;
            run.Mark("all invited");
            await WaitUntilQuietAsync(portal, graph, token);
            run.Mark("quiet");
            foreach (var instance in instances)
            {
                await instance.DisposeAsync(); // nothing may send after the count
            }

            var poison = portal.Services.GetRequiredService<PortalStorage>().GetQueue(SurveyMailRequests.QueueName + "-poison");
            run.PoisonMessages = (await poison.ExistsAsync(token)).Value ? (await poison.GetPropertiesAsync(token)).Value.ApproximateMessagesCount : 0;
            var report = Counts();

            var expected = final.Select(assignment => OutboxKey(assignment.Key)).ToHashSet(StringComparer.Ordinal);
            var perKey = graph.SentMessages.GroupBy(message => message.OutboxKey ?? "(none)", StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
            var lost = expected.Where(key => !perKey.ContainsKey(key)).ToList();
            var doubled = perKey.Where(pair => pair.Value > 1 || !expected.Contains(pair.Key)).Select(pair => $"{pair.Key} ×{pair.Value}").ToList();
            Assert.True(lost.Count == 0, $"lost (never sent): {string.Join(", ", lost.Take(10))}\n{report}");
            Assert.True(doubled.Count == 0, $"sent more than once, or not for an assignment: {string.Join(", ", doubled.Take(10))}\n{report}");

            // The children authenticated through the managed-identity endpoint, and nothing reached Graph without its token.
            var unauthenticated = graph.Requests.Where(request => identity.IdentityOf(request.Authorization) is not ("a" or "b")).ToList();
            Assert.True(unauthenticated.Count == 0, $"{unauthenticated.Count} Graph calls carried no token the identity endpoint issued (first: {unauthenticated.FirstOrDefault()?.Authorization ?? "none"})\n{report}");
            Assert.True(identity.Refused == 0, $"the identity endpoint refused {identity.Refused} token requests\n{report}");

            // The faults really happened, and in the middle of the dispatch: otherwise the run proves nothing.
            Assert.True(FaultRun.Throttled(graph) > 0 && FaultRun.ServerErrors(graph) > 0, $"Graph never faulted\n{report}");
            Assert.True(a.Kills == 1 && run.SentAtKill < Vendors, $"instance a was not killed mid-dispatch\n{report}");
            Assert.True(run.Outages == 1 && run.SentAtOutage < Vendors, $"the storage outage did not happen mid-dispatch\n{report}");
            Assert.True(FaultRun.SentBy(graph, identity, "b") > 0 && FaultRun.PlannerRuns(a) > 0 && FaultRun.PlannerRuns(b) > 0,
                $"both instances must have sent mail and run the planner timer\n{report}");
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            // A timeout or an unexpected error still says what the run had counted so far, which mails were still
            // unfinished and why, and what the instances said last.
            throw new InvalidOperationException(
                $"{exception.Message}\n{Counts()}\n{await UnfinishedMailAsync(portal)}\n{a.Tail(15)}\n{b.Tail(15)}", exception);
        }
        finally
        {
            TestContext.Current.TestOutputHelper?.WriteLine(Counts());
        }
    }

    private static Dictionary<string, string> InstanceSettings(AzuriteProcess storage, string prefix, GraphFake graph, IReadOnlyDictionary<string, string> managedIdentity) =>
        new(managedIdentity, StringComparer.Ordinal)
        {
            // Development: no Key Vault (the development signing key), as for the test's own view of the storage.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Storage__ConnectionString"] = storage.ConnectionString,
            ["Storage__ResourcePrefix"] = prefix,
            ["Jobs__RunInProcess"] = "true",
            ["DemoData__Enabled"] = "false",
            ["Graph__SenderMailbox"] = Sender,
            ["GraphMail__BaseUrl"] = graph.BaseUrl.ToString(),
            ["GraphMail__MessagesPerMinute"] = "0", // the fake has no sending limit to respect
            ["GraphMail__RequestTimeout"] = "00:00:05", // a call must end well inside the lease below
            ["Mail__Lease"] = "00:00:15", // a killed instance's rows are free after 15 s instead of 2 minutes
            ["Mail__RetryBaseDelay"] = "00:00:00.250",
            // Both instances fire both timers at the same instants: the duplicate timer runs. The planner queues every
            // invitation still waiting, so at every 10 s it would hide whether the sweep's reconciler finds lost ones.
            ["Surveys__PlanningSchedule"] = "*/30 * * * * *",
            ["Mail__SweepSchedule"] = "5-59/10 * * * * *",
            ["Surveys__InvitationGracePeriod"] = "00:00:20", // a lost invitation is queued again after 20 s, not 5 minutes
            ["Surveys__PortalBaseUrl"] = "https://portal.test",
            // Warnings and errors, plus the planner's one line per run (the duplicate timer runs are counted from it).
            // The transport's retry warnings, one per fault with a stack trace, would drown the rest: the fake counts faults.
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__FunctionsPortal.Surveys.SurveyPlanner"] = "Information",
            ["Logging__LogLevel__FunctionsPortal.Graph.GraphMailTransport"] = "Error",
        };

    private static async Task SeedAsync(PortalApplication portal, CancellationToken token)
    {
        await portal.Services.WhenStorageReadyAsync();
        await portal.Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(token);
        var vendors = portal.Services.GetRequiredService<VendorStore>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Vendors), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = token }, async (i, cancellationToken) =>
            await vendors.AddAsync(VendorId(i), SampleVendors.Domestic($"株式会社障害試験{i:D3}") with
            {
                ResponsibleOfficer = new Person($"受任 {i}", "部長", $"officer{i:D3}@vendor.example.jp"),
                LifecycleStatus = "onboarding", // outside the yearly tier plan: only the campaign asks them
            }, "test", cancellationToken));
    }

    private static Task<PlanOutcome> LaunchAsync(PortalApplication portal, CancellationToken token)
    {
        var now = DateTimeOffset.UtcNow;
        var campaign = new Campaign(CampaignId, "Fault run", SurveyKinds.Interim, "interim-technical", 1, DateOnly.FromDateTime(now.UtcDateTime).AddDays(21),
            new CampaignTarget(VendorIds: [.. Enumerable.Range(0, Vendors).Select(VendorId)]), "test", now);
        return portal.Services.GetRequiredService<SurveyPlanner>().LaunchAsync(campaign, token);
    }

    private static async Task WaitUntilQuietAsync(PortalApplication portal, GraphFake graph, CancellationToken token)
    {
        var outbox = portal.Services.GetRequiredService<PortalStorage>().GetTable(MailOutbox.TableName);
        var requests = -1;
        var quiet = Stopwatch.StartNew();
        await Eventually.UntilAsync(
            async () =>
            {
                var seen = graph.Requests.Count;
                if (seen != requests)
                {
                    (requests, quiet) = (seen, Stopwatch.StartNew());
                }

                var unsent = 0;
                await foreach (var row in outbox.QueryAsync<TableEntity>(row => row.RowKey == InvitationReconciler.InvitationMail, select: ["State"], cancellationToken: token))
                {
                    unsent += row.GetString("State") == MailStates.Sent ? 0 : 1;
                }

                return unsent == 0 && quiet.Elapsed >= QuietPeriod;
            },
            () => $"every outbox row sent and Graph quiet for {QuietPeriod.TotalSeconds} s",
            DispatchTimeout, TimeSpan.FromMilliseconds(500), token);
    }

    /// <summary>The outbox rows not sent yet, with what they are waiting for (for a failure message; storage may be down).</summary>
    private static async Task<string> UnfinishedMailAsync(PortalApplication portal)
    {
        var lines = new List<string>();
        try
        {
            var outbox = portal.Services.GetRequiredService<PortalStorage>().GetTable(MailOutbox.TableName);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await foreach (var row in outbox.QueryAsync<MailOutboxEntity>(row => row.State != MailStates.Sent, cancellationToken: timeout.Token))
            {
                lines.Add($"  {row.PartitionKey}/{row.RowKey}: {row.State}, {row.Attempts} attempts, {row.Failures} failures in a row, {row.SendAttempts} send attempts, " +
                          $"next {row.NextAttemptAt:HH:mm:ss}, lease {row.LeaseUntil:HH:mm:ss}, last error: {row.LastError}");
            }
        }
        catch (Exception exception) when (exception is Azure.RequestFailedException or OperationCanceledException or AggregateException)
        {
            lines.Add($"  (could not read the outbox: {exception.Message})");
        }

        return $"Outbox rows not sent at {DateTimeOffset.UtcNow:HH:mm:ss} ({lines.Count}):\n{string.Join('\n', lines.Take(20))}";
    }

    private static string VendorId(int i) => $"fr-vendor-{i:D3}";

    private static string OutboxKey(string assignmentKey) => $"{assignmentKey}/{InvitationReconciler.InvitationMail}";

    [GeneratedRegex(@"(?<count>\d+) invitations in \S+ had no outbox row after the grace period")]
    private static partial Regex Requeued();

    /// <summary>One line per PlanSurveys run: the planner's summary, or the invoker's error when storage was away.</summary>
    [GeneratedRegex("Survey planning: |Function PlanSurveys failed")]
    private static partial Regex Planned();

    /// <summary>What the run did and saw; <see cref="Report"/> is printed and quoted in every failure.</summary>
    private sealed class FaultRun(Stopwatch wall)
    {
        private readonly List<string> _timeline = [];

        public int Created { get; set; }

        public int CreatedByLaunch { get; set; } = -1;

        public IReadOnlyList<Assignment> Assignments { get; set; } = [];

        public int SentAtKill { get; set; } = -1;

        public int SentAtOutage { get; set; } = -1;

        public int Outages { get; set; }

        public TimeSpan Downtime { get; set; }

        public long PoisonMessages { get; set; } = -1;

        public static int DistinctSent(GraphFake graph) => graph.SentMessages.Select(message => message.OutboxKey).Distinct(StringComparer.Ordinal).Count();

        public static int SentBy(GraphFake graph, ManagedIdentityFake identity, string instance) =>
            graph.SentMessages.Count(message => identity.IdentityOf(message.Authorization) == instance);

        public static int Throttled(GraphFake graph) => graph.Requests.Count(request => request.Status == HttpStatusCode.TooManyRequests);

        public static int ServerErrors(GraphFake graph) => graph.Requests.Count(request => (int)request.Status >= 500);

        public static int PlannerRuns(PortalProcess instance) => Planned().Count(instance.Output);

        public string Report(GraphFake graph, ManagedIdentityFake identity, IReadOnlyList<PortalProcess> instances)
        {
            var sent = graph.SentMessages;
            var requests = graph.Requests;
            var distinct = DistinctSent(graph);
            var invited = Assignments.Count(assignment => assignment.Status == AssignmentStatus.Invited);
            var sentKeys = sent.Select(message => message.OutboxKey).ToHashSet(StringComparer.Ordinal);
            var lost = Assignments.Count(assignment => assignment.Status != AssignmentStatus.Invited || !sentKeys.Contains(OutboxKey(assignment.Key)));
            var lostAfterSend = requests.Count(request => request.Endpoint == GraphFakeEndpoint.SendDraft && request.Status == HttpStatusCode.GatewayTimeout);
            var requeued = instances.Sum(instance => Requeued().Matches(instance.Output).Sum(match => int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture)));
            string PerInstance(Func<PortalProcess, int> count) => string.Join(", ", instances.Select(instance => $"{instance.Name}: {count(instance)}"));
            var tokens = identity.TokensIssued;
            return new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"Fault run (seed {Seed}, {Vendors} vendors, 2 instances, Graph {ThrottleRate:P0} 429 + {ServerErrorRate:P0} 5xx, {GraphLatency.TotalMilliseconds} ms per call):")
                .AppendLine(CultureInfo.InvariantCulture, $"  assignments created     {Created} ({CreatedByLaunch} by the launch, the rest by the instances' planner timers; {invited} invited when last read)")
                .AppendLine(CultureInfo.InvariantCulture, $"  mails sent (Graph fake) {sent.Count} total, {distinct} distinct assignments ({PerInstance(instance => SentBy(graph, identity, instance.Name))})")
                .AppendLine(CultureInfo.InvariantCulture, $"  duplicates              {sent.Count - distinct}")
                .AppendLine(CultureInfo.InvariantCulture, $"  lost                    {(Assignments.Count == 0 ? "not read yet" : lost.ToString(CultureInfo.InvariantCulture))}")
                .AppendLine(CultureInfo.InvariantCulture, $"  429s answered           {Throttled(graph)} of {requests.Count} Graph calls")
                .AppendLine(CultureInfo.InvariantCulture, $"  5xx answered            {ServerErrors(graph)} ({lostAfterSend} of them a 504 after the send went out)")
                .AppendLine(CultureInfo.InvariantCulture, $"  instance kills          {instances.Sum(instance => instance.Kills)} (at {SentAtKill} sent; starts {PerInstance(instance => instance.Starts)})")
                .AppendLine(CultureInfo.InvariantCulture, $"  storage outages         {Outages} (down {Downtime.TotalSeconds:F1} s from stop to listening again, at {SentAtOutage} sent)")
                .AppendLine(CultureInfo.InvariantCulture, $"  re-queued invitations   {requeued} (queued again by the reconcilers in both instances' MailOutboxSweep)")
                .AppendLine(CultureInfo.InvariantCulture, $"  planner timer runs      {PerInstance(PlannerRuns)} (both instances fire every timer)")
                .AppendLine(CultureInfo.InvariantCulture, $"  poison messages         {(PoisonMessages < 0 ? "not read yet" : PoisonMessages.ToString(CultureInfo.InvariantCulture))}")
                .AppendLine(CultureInfo.InvariantCulture, $"  identity tokens issued  {string.Join(", ", tokens.Select(pair => $"{pair.Key}: {pair.Value}"))}")
                .AppendLine(CultureInfo.InvariantCulture, $"  timeline                {Timeline()}")
                .Append(CultureInfo.InvariantCulture, $"  wall time               {wall.Elapsed.TotalSeconds:F0} s")
                .ToString();
        }

        /// <summary>Notes when a step of the run happened (seconds since the start), for the report.</summary>
        public void Mark(string step)
        {
            lock (_timeline)
            {
                _timeline.Add($"{step} {wall.Elapsed.TotalSeconds:F0}s");
            }
        }

        private string Timeline()
        {
            lock (_timeline)
            {
                return string.Join(", ", _timeline);
            }
        }
    }
}
