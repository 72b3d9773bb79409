using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Core;
using FunctionsPortal.Checklists;
using FunctionsPortal.Secrets;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

// Dispatch benchmark (`npm run bench -- [dispatch] [--count N | --counts N,M,…]`): plans, enqueues and sends N
// invitations (default 10,000) end to end — the real planner, the real queue function under the standalone poller, the
// real outbox and Graph transport — against Azurite and a zero-latency Graph fake, with Graph's own throttle settings
// lifted (MessagesPerMinute = 0). It counts every storage round trip (the app's metric portal.storage.operations, by
// kind; planning in its own StorageOperationScope, so plan + enqueue and send are told apart), the longest time no mail
// went out once sending began, and the warnings that mark a stall (lease lost, message not settled, summary contention).
// With several sizes each runs on a fresh Azurite, and the send rate at the largest is compared with the smallest.
// The entry point (BenchmarkEntry.cs) picks this or another benchmark.
namespace FunctionsPortal.Benchmarks
{
    internal static class DispatchBenchmark
    {
        /// <summary>The issue-16 budget for one invitation, plan to settled mail.</summary>
        public const double OperationsPerInvitationTarget = 6;

        /// <summary>
        /// Longest allowed time without a mail once sending began: five times the benchmark's 1 s polling interval; the
        /// stalls this guards against (expired queue messages, lost outbox leases) lasted 30–45 s.
        /// </summary>
        public const double StallTargetSeconds = 5;

        private const int WarmUpCount = 500;

        public static async Task<int> RunAsync(string[] args)
        {
            ArgumentNullException.ThrowIfNull(args);
            var counts = Option(args, "--counts")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Number).ToList()
                ?? [Option(args, "--count") is { } single ? Number(single) : 10_000];
            if (counts.Count > 1)
            {
                // The first run in a process also pays for JIT compilation, which made the smallest run look slower than
                // it is and flattered the ratio: a run that is not compared warms the process up first.
                Console.WriteLine($"Warm-up run ({WarmUpCount} invitations, not compared):");
                await RunOnceAsync(WarmUpCount, record: false, CancellationToken.None);
            }

            var results = new List<DispatchResult>();
            foreach (var count in counts)
            {
                results.Add(await RunOnceAsync(count, record: true, CancellationToken.None));
            }

            if (results.Count > 1)
            {
                var smallest = results.MinBy(result => result.Count)!;
                var largest = results.MaxBy(result => result.Count)!;
                var ratio = largest.SendRate / smallest.SendRate;
                Console.WriteLine($"Send rate at {largest.Count:N0} ÷ at {smallest.Count:N0}: {largest.SendRate:N1} / {smallest.SendRate:N1} = {ratio:0.00} (target ≥ 0.8)");
                Scorecard.Add("Dispatch", $"send rate {largest.Count:N0} ÷ {smallest.Count:N0}", ratio, "×", 0.8, Goal.AtLeast);
                Console.WriteLine($"CPU per invitation at {smallest.Count:N0} → {largest.Count:N0}: portal {smallest.PortalCpuMs:0.0} → {largest.PortalCpuMs:0.0} ms, Azurite {smallest.EmulatorCpuMs:0.0} → {largest.EmulatorCpuMs:0.0} ms (same storage operations per invitation)");
                Scorecard.Add("Dispatch", $"portal CPU per invitation {largest.Count:N0} ÷ {smallest.Count:N0}", largest.PortalCpuMs / smallest.PortalCpuMs, "×");
                Scorecard.Add("Dispatch", $"Azurite CPU per invitation {largest.Count:N0} ÷ {smallest.Count:N0}", largest.EmulatorCpuMs / smallest.EmulatorCpuMs, "×");
            }

            return results.All(result => result.Duplicates == 0) ? 0 : 1;
        }

        private static string? Option(string[] args, string name) => args.SkipWhile(arg => arg != name).Skip(1).FirstOrDefault();

        private static int Number(string value) => int.Parse(value.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

        private static async Task<DispatchResult> RunOnceAsync(int count, bool record, CancellationToken cancellation)
        {
            Console.WriteLine($"FunctionsPortal dispatch benchmark: {count:N0} invitations, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

            // WebApplicationFactory finds the app's content root through this variable outside a test project.
            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FUNCTIONSPORTAL", Path.Combine(RepositoryRoot.Path, "src", "FunctionsPortal"));
            await using var azurite = new AzuriteProcess();
            await azurite.StartAsync(cancellation);
            await using var graph = await GraphFake.StartAsync(cancellation);
            using var appRoot = BenchmarkAppRoot.Create();
            using var warnings = new WarningTally();
            await using var portal = new BenchmarkPortal(azurite.ConnectionString, graph.BaseUrl, appRoot.Path, warnings);
            var services = portal.Services;
            await services.GetRequiredService<FunctionsPortal.Storage.StorageReadiness>().WhenReadyAsync(cancellation);
            await services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(cancellation);

            var seeding = Stopwatch.StartNew();
            var vendors = services.GetRequiredService<VendorStore>();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, token) =>
                await vendors.AddAsync($"bench-{i:D6}", VendorSetup.BackgroundVendor(i), "benchmark", token));
            Console.WriteLine($"Seeded {count:N0} vendors in {seeding.Elapsed.TotalSeconds:F1} s (setup, not measured below)");

            var memoryBefore = GC.GetTotalAllocatedBytes();
            var planner = services.GetRequiredService<SurveyPlanner>();
            var campaign = new Campaign("c-bench", "Benchmark", SurveyKinds.Annual, "annual-lite", 1, planner.Today().AddDays(30), new CampaignTarget(), "benchmark", DateTimeOffset.UtcNow);
            using var operations = new StorageOperationTally();
            warnings.Reset();
            var launchedAt = DateTimeOffset.UtcNow;
            var portalCpuAtLaunch = Process.GetCurrentProcess().TotalProcessorTime;
            var emulatorCpuAtLaunch = azurite.ProcessorTime;
            var total = Stopwatch.StartNew();
            PlanReport report;
            var planning = StorageOperationScope.Begin();
            try
            {
                report = (await planner.LaunchAsync(campaign, cancellation)).Report;
            }
            finally
            {
                planning.Dispose();
            }

            var planned = total.Elapsed;

            var lastReport = TimeSpan.Zero;
            while (graph.SentMessages.Count < count)
            {
                if (total.Elapsed - lastReport >= TimeSpan.FromSeconds(15))
                {
                    lastReport = total.Elapsed;
                    Console.WriteLine($"  … {graph.SentMessages.Count:N0} sent after {total.Elapsed.TotalSeconds:F0} s");
                }

                if (total.Elapsed > TimeSpan.FromMinutes(30))
                {
                    throw new TimeoutException($"Only {graph.SentMessages.Count:N0} of {count:N0} sent after 30 minutes.");
                }

                await Task.Delay(100, cancellation);
            }

            var elapsed = total.Elapsed;
            var emulatorCpuAtEnd = azurite.ProcessorTime;
            await Task.Delay(2000, cancellation); // anything sent twice would show up now, and the last settles are counted
            var counted = operations.Snapshot();
            var plan = Enum.GetValues<StorageOperationKind>().ToDictionary(StorageOperationCounter.Name, kind => planning.Count(kind), StringComparer.Ordinal);
            var sent = graph.SentMessages.ToList();
            var latencies = sent.Select(message => (message.SentAt - launchedAt).TotalMilliseconds).Order().ToList();
            var duplicates = sent.Count - sent.Select(message => message.OutboxKey).Distinct().Count();
            var sendTimes = sent.Select(message => message.SentAt).Order().ToList();
            var firstSend = sendTimes[0];
            var lastSend = sendTimes[^1];
            var stall = sendTimes.Zip(sendTimes.Skip(1), (earlier, later) => later - earlier).DefaultIfEmpty(TimeSpan.Zero).Max();
            var sendRate = count / Math.Max(0.001, (lastSend - firstSend).TotalSeconds);
            double Percentile(double p) => latencies[Math.Clamp((int)Math.Ceiling(p * latencies.Count) - 1, 0, latencies.Count - 1)];
            double PerInvitation(long operationsCounted) => operationsCounted / (double)count;
            string ByKind(IReadOnlyDictionary<string, long> byKind) =>
                string.Join(", ", byKind.Where(pair => pair.Value > 0).OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key} {PerInvitation(pair.Value):0.00}"));
            var send = counted.ToDictionary(pair => pair.Key, pair => pair.Value - plan.GetValueOrDefault(pair.Key), StringComparer.Ordinal);
            var endToEnd = PerInvitation(counted.Values.Sum());
            var portalCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - portalCpuAtLaunch).TotalMilliseconds / count;
            var emulatorCpuMs = (emulatorCpuAtEnd - emulatorCpuAtLaunch).TotalMilliseconds / count;

            Console.WriteLine();
            Console.WriteLine($"Plan + enqueue   {planned.TotalSeconds,8:F1} s   {report.Created:N0} assignments created, {report.Queued:N0} invitations queued ({report.Queued / planned.TotalSeconds:N0}/s)");
            Console.WriteLine($"Send             {(lastSend - firstSend).TotalSeconds,8:F1} s   first to last mail ({sendRate:N0} invitations/s)");
            Console.WriteLine($"End to end       {elapsed.TotalSeconds,8:F1} s   launch to last mail: {count / elapsed.TotalSeconds:N0} invitations/s");
            Console.WriteLine($"Latency          p50 {Percentile(0.50) / 1000:F1} s, p95 {Percentile(0.95) / 1000:F1} s, max {latencies[^1] / 1000:F1} s (launch to each mail)");
            Console.WriteLine($"Stalls           longest gap between two mails {stall.TotalSeconds:F1} s; {warnings.LeaseLost} outbox leases lost, {warnings.NotSettled} queue messages not settled, {warnings.Retried} retried, {warnings.SummaryContention} summary give-ups");
            Console.WriteLine($"Storage          {endToEnd:0.00} operations per invitation end to end ({counted.Values.Sum():N0})");
            Console.WriteLine($"  plan + enqueue {PerInvitation(plan.Values.Sum()),6:0.00}   {ByKind(plan)}");
            Console.WriteLine($"  send           {PerInvitation(send.Values.Sum()),6:0.00}   {ByKind(send)}");
            Console.WriteLine($"CPU              per invitation, launch to last mail: portal {portalCpuMs:0.0} ms, Azurite {emulatorCpuMs:0.0} ms");
            Console.WriteLine($"Exactly once     {sent.Count:N0} sent, {duplicates} duplicates; Graph fake saw at most {graph.MaxInFlight} requests in flight");
            Console.WriteLine($"Memory           peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024:N0} MiB, {(GC.GetTotalAllocatedBytes() - memoryBefore) / 1024 / 1024:N0} MiB allocated in the portal during the run (Azurite runs in its own process)");
            Console.WriteLine();

            if (!record)
            {
                return new DispatchResult(count, sendRate, duplicates, portalCpuMs, emulatorCpuMs);
            }

            Scorecard.Add("Dispatch", $"send rate at {count:N0}", sendRate, "inv/s");
            Scorecard.Add("Dispatch", $"storage ops per invitation at {count:N0}", endToEnd, "ops", OperationsPerInvitationTarget);
            Scorecard.Add("Dispatch", $"longest stall at {count:N0}", stall.TotalSeconds, "s", StallTargetSeconds);
            Scorecard.Add("Dispatch", $"duplicates at {count:N0}", duplicates, "mails", 0);
            return new DispatchResult(count, sendRate, duplicates, portalCpuMs, emulatorCpuMs);
        }

    }

    /// <param name="Count">Invitations planned and sent.</param>
    /// <param name="SendRate">Invitations per second, first mail to last.</param>
    /// <param name="Duplicates">Mails that left more than once.</param>
    /// <param name="PortalCpuMs">CPU the portal's process used per invitation, launch to last mail.</param>
    /// <param name="EmulatorCpuMs">CPU Azurite used per invitation over the same span: the emulator serves one request at a time.</param>
    internal sealed record DispatchResult(int Count, double SendRate, int Duplicates, double PortalCpuMs, double EmulatorCpuMs);

    /// <summary>Every storage round trip the portal makes (metric portal.storage.operations), by kind, from creation to disposal.</summary>
    internal sealed class StorageOperationTally : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _byKind = new(StringComparer.Ordinal);

        public StorageOperationTally()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "FunctionsPortal" && instrument.Name == StorageOperationCounter.MetricName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var kind = "unknown";
                foreach (var tag in tags)
                {
                    if (tag.Key == "kind")
                    {
                        kind = tag.Value?.ToString() ?? kind;
                    }
                }

                _byKind.AddOrUpdate(kind, value, (_, held) => held + value);
            });
            _listener.Start();
        }

        public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_byKind, StringComparer.Ordinal);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Counts the portal's warnings that mean a stall or a retry on the dispatch path.</summary>
    internal sealed class WarningTally : ILoggerProvider
    {
        private int _leaseLost;
        private int _notSettled;
        private int _retried;
        private int _summaryContention;

        public int LeaseLost => Volatile.Read(ref _leaseLost);

        public int NotSettled => Volatile.Read(ref _notSettled);

        public int Retried => Volatile.Read(ref _retried);

        public int SummaryContention => Volatile.Read(ref _summaryContention);

        public void Reset()
        {
            Volatile.Write(ref _leaseLost, 0);
            Volatile.Write(ref _notSettled, 0);
            Volatile.Write(ref _retried, 0);
            Volatile.Write(ref _summaryContention, 0);
        }

        public ILogger CreateLogger(string categoryName) => new Counter(this);

        public void Dispose()
        {
        }

        private void Count(string message)
        {
            if (message.Contains("lease lost to another worker", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _leaseLost);
            }
            else if (message.Contains("could not settle message", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _notSettled);
            }
            else if (message.Contains("it will be retried", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _retried);
            }
            else if (message.Contains("kept changing", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _summaryContention);
            }
        }

        private sealed class Counter(WarningTally tally) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    tally.Count(formatter(state, exception));
                }
            }
        }
    }
}

namespace FunctionsPortal.Benchmarks
{
    /// <summary>The portal in-process (standalone mode, poller on) pointed at Azurite and the Graph fake.</summary>
    internal sealed class BenchmarkPortal(string connectionString, Uri graphBaseUrl, string appRoot, ILoggerProvider? logs = null) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in new Dictionary<string, string>
                     {
                         ["Storage:ConnectionString"] = connectionString,
                         ["Jobs:RunInProcess"] = "true",
                         ["Jobs:AppRoot"] = appRoot,
                         ["Graph:SenderMailbox"] = "surveys@our-company.example.jp",
                         ["GraphMail:BaseUrl"] = graphBaseUrl.ToString(),
                         ["GraphMail:MessagesPerMinute"] = "0",
                         ["Surveys:PortalBaseUrl"] = "https://portal.example",
                         // Production refuses to run on the public development key; the keys below stand in for the vault.
                         ["Secrets:VaultUri"] = "https://kv-benchmark.vault.azure.net/",
                         ["Logging:LogLevel:Default"] = "Warning",
                         ["Logging:LogLevel:FunctionsPortal.Jobs.TimerScheduler"] = "Warning",
                     })
            {
                builder.UseSetting(key, value);
            }

            if (logs is not null)
            {
                builder.ConfigureLogging(logging => logging.AddProvider(logs));
            }

            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TokenCredential>();
                services.AddSingleton<TokenCredential>(new GraphFakeCredential());
                services.RemoveAll<ISigningKeys>();
                services.AddSingleton<ISigningKeys>(new RotatingSigningKeys());
            });
        }
    }

    /// <summary>The app's host.json and functions, polling at most a second apart (the default 10 s idles the start).</summary>
    internal sealed class BenchmarkAppRoot : IDisposable
    {
        private BenchmarkAppRoot(string path) => Path = path;

        public string Path { get; }

        public static BenchmarkAppRoot Create()
        {
            var root = new BenchmarkAppRoot(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fp-bench-" + Guid.NewGuid().ToString("N")));
            Directory.CreateDirectory(root.Path);
            var host = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "host.json")))!;
            host["extensions"]!["queues"]!["maxPollingInterval"] = "00:00:01";
            File.WriteAllText(System.IO.Path.Combine(root.Path, "host.json"), host.ToJsonString());
            foreach (var functionJson in Directory.EnumerateDirectories(AppContext.BaseDirectory).Select(directory => System.IO.Path.Combine(directory, "function.json")).Where(File.Exists))
            {
                var target = System.IO.Path.Combine(root.Path, System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(functionJson))!);
                Directory.CreateDirectory(target);
                File.Copy(functionJson, System.IO.Path.Combine(target, "function.json"));
            }

            return root;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
