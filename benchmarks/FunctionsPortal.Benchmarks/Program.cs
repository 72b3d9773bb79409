using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Core;
using FunctionsPortal.Checklists;
using FunctionsPortal.Secrets;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

// Dispatch benchmark (`npm run bench -- [dispatch] [--count N]`): plans, enqueues and sends N invitations (default
// 10,000) end to end — the real planner, the real queue function under the standalone poller, the real outbox and Graph
// transport — against Azurite and a zero-latency Graph fake, with Graph's own throttle settings lifted
// (MessagesPerMinute = 0). The entry point (BenchmarkEntry.cs) picks this or the vendor-pages benchmark.
namespace FunctionsPortal.Benchmarks
{
    internal static class DispatchBenchmark
    {
        public static async Task<int> RunAsync(string[] args)
        {
            var count = args.SkipWhile(arg => arg != "--count").Skip(1).Select(value => int.Parse(value, CultureInfo.InvariantCulture)).FirstOrDefault(10_000);
            var cancellation = CancellationToken.None;
            Console.WriteLine($"FunctionsPortal dispatch benchmark: {count:N0} invitations, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

            // WebApplicationFactory finds the app's content root through this variable outside a test project.
            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FUNCTIONSPORTAL", Path.Combine(RepositoryRoot.Path, "src", "FunctionsPortal"));
            await using var azurite = new AzuriteProcess();
            await azurite.StartAsync(cancellation);
            await using var graph = await GraphFake.StartAsync(cancellation);
            using var appRoot = BenchmarkAppRoot.Create();
            await using var portal = new BenchmarkPortal(azurite.ConnectionString, graph.BaseUrl, appRoot.Path);
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
            var launchedAt = DateTimeOffset.UtcNow;
            var total = Stopwatch.StartNew();
            var report = (await planner.LaunchAsync(campaign, cancellation)).Report;
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
            await Task.Delay(2000, cancellation); // anything sent twice would show up now
            var sent = graph.SentMessages.ToList();
            var latencies = sent.Select(message => (message.SentAt - launchedAt).TotalMilliseconds).Order().ToList();
            var duplicates = sent.Count - sent.Select(message => message.OutboxKey).Distinct().Count();
            var firstSend = sent.Min(message => message.SentAt);
            var lastSend = sent.Max(message => message.SentAt);
            double Percentile(double p) => latencies[Math.Clamp((int)Math.Ceiling(p * latencies.Count) - 1, 0, latencies.Count - 1)];

            Console.WriteLine();
            Console.WriteLine($"Plan + enqueue   {planned.TotalSeconds,8:F1} s   {report.Created:N0} assignments created, {report.Queued:N0} messages queued ({report.Queued / planned.TotalSeconds:N0}/s)");
            Console.WriteLine($"Send             {(lastSend - firstSend).TotalSeconds,8:F1} s   first to last mail ({count / Math.Max(0.001, (lastSend - firstSend).TotalSeconds):N0} invitations/s)");
            Console.WriteLine($"End to end       {elapsed.TotalSeconds,8:F1} s   launch to last mail: {count / elapsed.TotalSeconds:N0} invitations/s");
            Console.WriteLine($"Latency          p50 {Percentile(0.50) / 1000:F1} s, p95 {Percentile(0.95) / 1000:F1} s, max {latencies[^1] / 1000:F1} s (launch to each mail)");
            Console.WriteLine($"Exactly once     {sent.Count:N0} sent, {duplicates} duplicates; Graph fake saw at most {graph.MaxInFlight} requests in flight");
            Console.WriteLine($"Memory           peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024:N0} MiB, {(GC.GetTotalAllocatedBytes() - memoryBefore) / 1024 / 1024:N0} MiB allocated in the portal during the run (Azurite runs in its own process)");
            return duplicates == 0 ? 0 : 1;
        }
    }
}

namespace FunctionsPortal.Benchmarks
{
    /// <summary>The portal in-process (standalone mode, poller on) pointed at Azurite and the Graph fake.</summary>
    internal sealed class BenchmarkPortal(string connectionString, Uri graphBaseUrl, string appRoot) : WebApplicationFactory<Program>
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
