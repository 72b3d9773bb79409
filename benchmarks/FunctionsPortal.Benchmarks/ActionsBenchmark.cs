using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using FunctionsPortal.Checklists;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Responses;
using FunctionsPortal.Reviews;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Benchmarks;

/// <summary>
/// Corrective-actions benchmark (<c>npm run bench -- actions</c>): N vendors (default 200) each seal a survey with three
/// findings (a × with a plan, a △ without a date, a △ planned); each acceptance is measured — it raises two actions and a
/// plan, opens two tasks on the local task list through the outbox, queues the vendor's mail — in time and storage round
/// trips. Then one status sync over every task, one daily follow-up, and the staff pages that read actions
/// (/staff/actions, a vendor page) under C clients (default 5), with their round trips from Server-Timing.
/// </summary>
internal static partial class ActionsBenchmark
{
    private const string StaffHeader = "bench@example.com; Portal.Reviewer";
    private static readonly string[] Options = ["--vendors", "--clients", "--duration", "--warmup"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault(arg => arg.StartsWith("--", StringComparison.Ordinal) && !Options.Contains(arg)) is { } unknown)
        {
            Console.Error.WriteLine($"Unknown option {unknown}: the actions benchmark takes {string.Join(", ", Options.Select(option => option + " N"))}.");
            return 2;
        }

        var vendorCount = Option(args, "--vendors", 200);
        var clients = Option(args, "--clients", 5);
        var duration = TimeSpan.FromSeconds(Option(args, "--duration", 10));
        var warmup = TimeSpan.FromSeconds(Option(args, "--warmup", 2));
        var cancellation = CancellationToken.None;
        Report.Line($"FunctionsPortal corrective-actions benchmark: {Report.N(vendorCount)} accepted surveys with 3 findings each, {clients} staff clients, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FUNCTIONSPORTAL", Path.Combine(RepositoryRoot.Path, "src", "FunctionsPortal"));
        await using var azurite = new AzuriteProcess();
        await azurite.StartAsync(cancellation);
        await using var portal = new KestrelPortal(azurite.ConnectionString, "ca" + Guid.NewGuid().ToString("N")[..8]);
        var baseAddress = portal.Start();
        var services = portal.Services;
        await services.GetRequiredService<StorageReadiness>().WhenReadyAsync(cancellation);
        await services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(cancellation);

        // Not measured: invite, answer and seal each vendor's survey.
        var seeding = Stopwatch.StartNew();
        var sealedSurveys = new List<InvitedVendor>();
        var planned = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(4);
        for (var i = 0; i < vendorCount; i++)
        {
            var invited = await SurveyScenario.InviteAsync(services, cancellation);
            await SurveyScenario.CompleteDraftAsync(services, invited, cancellation);
            await services.GetRequiredService<DraftStore>().UpdateAsync(invited.Assignment.Key, draft => draft with
            {
                Answers = new Dictionary<string, ItemAnswer>(draft.Answers)
                {
                    ["GOV-03"] = new() { Status = StatusAnswers.NotDone, Reason = "後任未定", PlannedOn = planned, Measure = "後任を任命する" },
                    ["TRN-01"] = new() { Status = StatusAnswers.Partial },
                    ["HDL-05"] = new() { Status = StatusAnswers.Partial, PlannedOn = planned, Measure = "手順を定める" },
                },
            }, cancellation);
            await SurveyScenario.SealAsync(services, invited, cancellation);
            sealedSurveys.Add(invited);
        }

        Report.Line($"Seeded {Report.N(vendorCount)} sealed surveys in {seeding.Elapsed.TotalSeconds:F1} s — not measured");
        Report.Line($"Portal on Kestrel at {baseAddress} (Development, jobs off, local task list), Azurite in memory");
        Report.Line("");

        // Measured: each acceptance, one at a time (what a reviewer's click costs).
        var decisions = services.GetRequiredService<ReviewDecisions>();
        var latencies = new List<double>();
        var operations = new List<long>();
        var total = Stopwatch.StartNew();
        foreach (var invited in sealedSurveys)
        {
            using var scope = StorageOperationScope.Begin();
            var watch = Stopwatch.StartNew();
            var outcome = await decisions.AcceptAsync(invited.Assignment.Key, "bench-reviewer", null, cancellation);
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            operations.Add(scope.Total);
            if (outcome.Result != AcceptResult.Accepted)
            {
                Console.Error.WriteLine($"{invited.Assignment.Key} was not accepted: {outcome.Result}");
                return 1;
            }
        }

        var seconds = total.Elapsed.TotalSeconds;
        var store = services.GetRequiredService<CorrectiveActionStore>();
        var actions = await store.ListAsync(status: null, cancellation);
        var withTask = actions.Count(action => action.Task is not null);
        latencies.Sort();
        operations.Sort();
        Report.Line($"{"accept + raise",-Report.Width}{vendorCount / seconds,8:F1}/s  p50 {Report.Ms(Pct(latencies, 0.5))}  p95 {Report.Ms(Pct(latencies, 0.95))}  storage round trips per acceptance: p50 {Pct(operations, 0.5):0}, max {operations[^1]}");
        Report.Line($"{"",-Report.Width}(each: 2 actions + 1 plan raised, 2 tasks opened) {Report.N(actions.Count)} actions stored, {Report.N(withTask)} with their task ({(double)withTask / Math.Max(1, actions.Count(action => action.Track == ActionTracks.Action)):P0} of the actions that need one)");

        // One status sync over every task, and one daily follow-up over every action.
        var tasks = services.GetRequiredService<ActionTasks>();
        using (var scope = StorageOperationScope.Begin())
        {
            var watch = Stopwatch.StartNew();
            var report = await tasks.SyncAsync(cancellation);
            Report.Line($"{"task sync (1 run)",-Report.Width}{Report.Ms(watch.Elapsed.TotalMilliseconds)} for {Report.N(report.Observed)} tasks observed; {scope.Total} storage round trips ({(double)scope.Total / Math.Max(1, report.Observed):F1} per task)");
        }

        using (var scope = StorageOperationScope.Begin())
        {
            var watch = Stopwatch.StartNew();
            var followUp = ActivatorUtilities.CreateInstance<FollowUpActionsJob>(services);
            var reminded = await followUp.RemindVendorsAsync(cancellation);
            var escalated = await followUp.EscalateOverdueAsync(cancellation);
            Report.Line($"{"follow-up (1 run)",-Report.Width}{Report.Ms(watch.Elapsed.TotalMilliseconds)} over {Report.N(actions.Count)} actions ({reminded} reminded, {escalated} escalated); {scope.Total} storage round trips");
        }

        var http = Enumerable.Range(0, clients).Select(_ =>
        {
            var client = new HttpClient { BaseAddress = baseAddress };
            client.DefaultRequestHeaders.Add("X-Development-Staff", StaffHeader);
            return client;
        }).ToList();
        var vendorUrl = $"/staff/vendors/{sealedSurveys[0].VendorId}";
        var actionUrl = $"/staff/actions/{actions.First(action => action.Track == ActionTracks.Action).Id}";
        foreach (var (name, url) in new[] { ("/staff/actions", "/staff/actions"), ("/staff/actions/{id}", actionUrl), ("/staff/vendors/{id}", vendorUrl) })
        {
            using var probe = await http[0].GetAsync(new Uri(url, UriKind.Relative), cancellation);
            var timing = string.Join(", ", probe.Headers.TryGetValues("Server-Timing", out var values) ? values : []);
            var roundTrips = TotalTiming().Match(timing) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
            var result = await LoadRun.RunAsync(http, async (client, n, token) =>
            {
                using var response = await client.GetAsync(new Uri(url, UriKind.Relative), token);
                await response.Content.ReadAsByteArrayAsync(token);
                return response.IsSuccessStatusCode ? null : $"GET {url} answered {(int)response.StatusCode}";
            }, warmup, duration);
            Report.Load(name, result);
            Report.Line($"{"",-Report.Width}storage round trips per render: {roundTrips} ({timing})");
        }

        foreach (var client in http)
        {
            client.Dispose();
        }

        return 0;
    }

    private static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static double Pct(List<long> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(arg => arg != name).Skip(1).Select(value => int.Parse(value, CultureInfo.InvariantCulture)).FirstOrDefault(fallback);

    [GeneratedRegex(@"(?:^|, )storage;desc=""(\d+)""")]
    private static partial Regex TotalTiming();
}
