using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Benchmarks;

/// <summary>
/// Cold-start benchmark (<c>npm run bench -- coldstart [--runs N] [--idle S] [--republish]</c>): publishes the portal
/// and <c>benchmarks/MinimalWebApp</c> (one <c>MapGet("/")</c>) the way azd does — <c>dotnet publish -c Release -o DIR</c>,
/// both through <c>src/FunctionsPortal/Publish.props</c>, so self-contained linux-x64 and ReadyToRun alike — then starts
/// each N times (default 7), alternately, as a fresh process on a free port, and times exec → first 200 on <c>GET /</c>
/// (the Functions host's readiness probe). The portal runs as under the Functions host (custom-handler port, production
/// settings) against Azurite whose tables already exist, as for a new instance of a deployed app. Prints median and p90
/// of both and their ratio (target ≤ 2), the portal's CPU time to ready, when <c>/healthz</c> first answers 200 (storage
/// initialized), and each app's working set after a few requests and an idle pause.
/// </summary>
internal static class ColdStartBenchmark
{
    private const double TargetRatio = 2;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly string[] Options = ["--runs", "--idle"];
    private static readonly string[] Flags = ["--republish"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault(arg => arg.StartsWith("--", StringComparison.Ordinal) && !Options.Contains(arg) && !Flags.Contains(arg)) is { } unknown)
        {
            Console.Error.WriteLine($"Unknown option {unknown}: the cold-start benchmark takes --runs N (7), --idle S (5) and --republish.");
            return 2;
        }

        var runs = Math.Max(1, Option(args, "--runs", 7));
        var idle = TimeSpan.FromSeconds(Option(args, "--idle", 5));
        var republish = args.Contains("--republish");
        var cancellation = CancellationToken.None;
        Report.Line($"FunctionsPortal cold-start benchmark: {runs} starts each of the portal and a minimal ASP.NET Core app, alternately, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

        var portal = await PublishedApp.PublishAsync("portal", Path.Combine("src", "FunctionsPortal", "FunctionsPortal.csproj"), "FunctionsPortal", republish, cancellation);
        var minimal = await PublishedApp.PublishAsync("minimal", Path.Combine("benchmarks", "MinimalWebApp", "MinimalWebApp.csproj"), "MinimalWebApp", republish, cancellation);
        Report.Line($"Published (Release, {portal.Describe()}): portal {Report.MiB(portal.SizeBytes)} MiB in {Report.N(portal.FileCount)} files, minimal app {Report.MiB(minimal.SizeBytes)} MiB");

        await using var azurite = new AzuriteProcess();
        await azurite.StartAsync(cancellation);
        var portalEnvironment = PortalEnvironment(azurite.ConnectionString);

        // One uncounted start of each: the portal creates its tables (a deployed app's exist), and the OS caches both folders.
        await StartOnceAsync(portal, portalEnvironment, probeHealth: true, idle: null, cancellation);
        await StartOnceAsync(minimal, new Dictionary<string, string>(StringComparer.Ordinal), probeHealth: false, idle: null, cancellation);

        var portalStarts = new List<StartResult>();
        var minimalStarts = new List<StartResult>();
        for (var run = 0; run < runs; run++)
        {
            // Alternate who goes first, so neither always starts right after the other has stopped.
            var last = run == runs - 1;
            foreach (var app in run % 2 == 0 ? new[] { portal, minimal } : [minimal, portal])
            {
                var isPortal = ReferenceEquals(app, portal);
                var result = await StartOnceAsync(app, isPortal ? portalEnvironment : [], probeHealth: isPortal, idle: last ? idle : null, cancellation);
                (isPortal ? portalStarts : minimalStarts).Add(result);
            }
        }

        var portalReady = Samples(portalStarts.Select(start => start.Ready.TotalMilliseconds));
        var minimalReady = Samples(minimalStarts.Select(start => start.Ready.TotalMilliseconds));
        var portalCpu = Samples(portalStarts.Select(start => start.CpuToReady.TotalMilliseconds));
        var minimalCpu = Samples(minimalStarts.Select(start => start.CpuToReady.TotalMilliseconds));
        var portalHealthy = Samples(portalStarts.Select(start => start.Healthy?.TotalMilliseconds ?? double.NaN).Where(value => !double.IsNaN(value)));
        var ratio = portalReady.Percentile(0.5) / minimalReady.Percentile(0.5);
        var portalIdle = portalStarts[^1];
        var minimalIdle = minimalStarts[^1];

        Report.Line("");
        Report.Line($"{"exec → 200 on GET /",-Report.Width}portal {portalReady.Describe(0.5, 0.9)}   minimal app {minimalReady.Describe(0.5, 0.9)}");
        Report.Line($"{"CPU time to ready",-Report.Width}portal {portalCpu.Describe(0.5, 0.9)}   minimal app {minimalCpu.Describe(0.5, 0.9)}");
        Report.Line($"{"exec → 200 on /healthz",-Report.Width}portal {portalHealthy.Describe(0.5, 0.9)}   (storage reachable, tables created)");
        Report.Line($"{"ratio of medians",-Report.Width}{ratio.ToString("0.00", CultureInfo.InvariantCulture)} × the minimal app; target ≤ {TargetRatio:0}: {(ratio <= TargetRatio ? "met" : "NOT met")}");
        Report.Line($"{"idle working set",-Report.Width}portal {Report.MiB(portalIdle.IdleWorkingSetBytes)} MiB (private {Report.MiB(portalIdle.IdlePrivateBytes)} MiB)   minimal app {Report.MiB(minimalIdle.IdleWorkingSetBytes)} MiB (private {Report.MiB(minimalIdle.IdlePrivateBytes)} MiB), after 25 requests and {idle.TotalSeconds:0} s idle");

        Scorecard.Add("Cold start", "portal ready ÷ minimal app (median)", Math.Round(ratio, 2), "×", TargetRatio);
        Scorecard.Add("Cold start", "portal exec → 200 on / (median)", Math.Round(portalReady.Percentile(0.5)), "ms");
        Scorecard.Add("Cold start", "portal exec → 200 on / (p90)", Math.Round(portalReady.Percentile(0.9)), "ms");
        Scorecard.Add("Cold start", "minimal app exec → 200 on / (median)", Math.Round(minimalReady.Percentile(0.5)), "ms");
        Scorecard.Add("Cold start", "portal CPU time to ready (median)", Math.Round(portalCpu.Percentile(0.5)), "ms");
        Scorecard.Add("Cold start", "portal exec → 200 on /healthz (median)", Math.Round(portalHealthy.Percentile(0.5)), "ms");
        Scorecard.Add("Cold start", "portal publish size", Math.Round(portal.SizeBytes / 1024d / 1024d), "MiB");
        Scorecard.Add("Idle memory", "portal working set, idle", Math.Round(portalIdle.IdleWorkingSetBytes / 1024d / 1024d), "MiB");
        Scorecard.Add("Idle memory", "portal private memory, idle", Math.Round(portalIdle.IdlePrivateBytes / 1024d / 1024d), "MiB");
        Scorecard.Add("Idle memory", "minimal app working set, idle", Math.Round(minimalIdle.IdleWorkingSetBytes / 1024d / 1024d), "MiB");
        return 0;
    }

    /// <summary>What a Flex Consumption instance gives the portal (infra/modules/functionapp.bicep), with Azurite for the account.</summary>
    private static Dictionary<string, string> PortalEnvironment(string connectionString) => new(StringComparer.Ordinal)
    {
        ["Storage__ConnectionString"] = connectionString,
        // Never called on the way to ready: / and /healthz read no signing key. It only has to pass validation.
        ["Secrets__VaultUri"] = "https://cold-start-benchmark.vault.azure.net/",
        ["Surveys__PlanningSchedule"] = "0 5 * * * *",
        ["Surveys__ReminderSchedule"] = "0 30 0 * * *",
        ["Mail__SweepSchedule"] = "0 */2 * * * *",
        ["Surveys__PortalBaseUrl"] = "https://portal.example.jp/",
        ["Surveys__ContactEmail"] = "privacy@example.jp",
    };

    private static async Task<StartResult> StartOnceAsync(PublishedApp app, IReadOnlyDictionary<string, string> environment, bool probeHealth, TimeSpan? idle, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(app.Directory, app.Executable))
        {
            WorkingDirectory = app.Directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS" })
        {
            start.Environment.Remove(name);
        }

        // Both listen where the Functions host would call them; the portal takes the custom-handler port, the minimal app the URL.
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new OutputTail();
        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1), PooledConnectionLifetime = TimeSpan.Zero };
        using var http = new HttpClient(handler, disposeHandler: false)
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{app.Executable} could not be started.");
        process.OutputDataReceived += (_, line) => output.Add(line.Data);
        process.ErrorDataReceived += (_, line) => output.Add(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var ready = await UntilOkAsync(http, "/", process, clock, output, cancellationToken);
            var cpu = process.TotalProcessorTime;
            var healthy = probeHealth ? await UntilOkAsync(http, "/healthz", process, clock, output, cancellationToken) : (TimeSpan?)null;
            long workingSet = 0, privateBytes = 0;
            if (idle is { } pause)
            {
                for (var i = 0; i < 20; i++)
                {
                    using var _ = await http.GetAsync(new Uri("/", UriKind.Relative), cancellationToken);
                }

                for (var i = 0; i < 5; i++)
                {
                    using var _ = await http.GetAsync(new Uri(probeHealth ? "/healthz" : "/", UriKind.Relative), cancellationToken);
                }

                await Task.Delay(pause, cancellationToken);
                process.Refresh();
                workingSet = process.WorkingSet64;
                privateBytes = PrivateResidentBytes(process.Id);
            }

            return new StartResult(ready, cpu, healthy, workingSet, privateBytes);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>Polls <paramref name="path"/> every few milliseconds until it answers 200; returns the time since exec.</summary>
    private static async Task<TimeSpan> UntilOkAsync(HttpClient http, string path, Process process, Stopwatch clock, OutputTail output, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode} before {path} answered 200:\n{output}");
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"{process.StartInfo.FileName}: {path} did not answer 200 within {StartTimeout.TotalSeconds:0} s:\n{output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: exactly what is being timed.
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>Resident anonymous memory (heaps, JIT code, stacks): the part of the working set that is the process's own, not shared files.</summary>
    private static long PrivateResidentBytes(int processId)
    {
        var status = Path.Combine("/proc", processId.ToString(CultureInfo.InvariantCulture), "status");
        if (!File.Exists(status))
        {
            return 0;
        }

        var line = File.ReadLines(status).FirstOrDefault(text => text.StartsWith("RssAnon:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["RssAnon:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Samples Samples(IEnumerable<double> values)
    {
        var samples = new Samples();
        samples.AddRange(values);
        return samples;
    }

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(arg => arg != name).Skip(1).Select(value => int.Parse(value, CultureInfo.InvariantCulture)).FirstOrDefault(fallback);

    private sealed record StartResult(TimeSpan Ready, TimeSpan CpuToReady, TimeSpan? Healthy, long IdleWorkingSetBytes, long IdlePrivateBytes);

    /// <summary>The last lines a started app wrote (drained continuously so it never blocks on a full pipe), for the error when it fails.</summary>
    private sealed class OutputTail
    {
        private readonly Queue<string> _lines = new();
        private readonly Lock _gate = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_gate)
            {
                _lines.Enqueue(line.Length > 2000 ? line[..2000] : line);
                if (_lines.Count > 40)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }
}

/// <summary>
/// A project published with <c>dotnet publish -c Release -o DIR</c> into a folder under the temp directory keyed by the
/// sources it is built from (commit plus uncommitted changes), so a re-run on unchanged sources skips the slow publish.
/// </summary>
internal sealed record PublishedApp(string Directory, string Executable, long SizeBytes, int FileCount)
{
    private static readonly string[] SourcePaths = ["src", "benchmarks/MinimalWebApp", "Directory.Build.props", "Directory.Packages.props", "global.json"];

    public static async Task<PublishedApp> PublishAsync(string name, string project, string executable, bool republish, CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), "functionsportal-coldstart");
        var key = await SourceKeyAsync(cancellationToken);
        var directory = Path.Combine(root, key, name);
        var marker = Path.Combine(directory, ".published");
        if (republish || !File.Exists(marker))
        {
            // Only the current sources' output is kept: each publish is ~200 MB.
            if (System.IO.Directory.Exists(root))
            {
                foreach (var stale in System.IO.Directory.GetDirectories(root).Where(path => Path.GetFileName(path) != key))
                {
                    System.IO.Directory.Delete(stale, recursive: true);
                }
            }

            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }

            Report.Line($"Publishing {project} (dotnet publish -c Release; takes minutes the first time, cached under {root} after)...");
            var clock = Stopwatch.StartNew();
            var (exitCode, log) = await RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", directory], cancellationToken);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish {project} failed ({exitCode}):\n{string.Join('\n', log.Split('\n').TakeLast(30))}");
            }

            Report.Line($"  published in {clock.Elapsed.TotalSeconds:0} s");
            await File.WriteAllTextAsync(marker, key, cancellationToken);
        }

        var files = new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).ToList();
        return new PublishedApp(directory, executable, files.Sum(file => file.Length), files.Count);
    }

    /// <summary>Self-contained and ReadyToRun, as read back from the output (the runtime shipped, native code in the app's assembly).</summary>
    public string Describe()
    {
        var selfContained = File.Exists(Path.Combine(Directory, "libcoreclr.so")) ? "self-contained" : "framework-dependent";
        var readyToRun = IsReadyToRun(Path.Combine(Directory, Executable + ".dll")) ? "ReadyToRun" : "IL only";
        return $"{selfContained}, {readyToRun}";
    }

    private static bool IsReadyToRun(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    /// <summary>HEAD plus a hash of the uncommitted changes under the paths a publish reads; a fresh key (no cache) without git.</summary>
    private static async Task<string> SourceKeyAsync(CancellationToken cancellationToken)
    {
        var (headExit, head) = await RunAsync("git", ["-C", RepositoryRoot.Path, "rev-parse", "HEAD"], cancellationToken);
        if (headExit != 0)
        {
            return "uncached-" + Guid.NewGuid().ToString("N")[..8];
        }

        var (_, diff) = await RunAsync("git", ["-C", RepositoryRoot.Path, "diff", "HEAD", "--", .. SourcePaths], cancellationToken);
        var (_, untracked) = await RunAsync("git", ["-C", RepositoryRoot.Path, "ls-files", "--others", "--exclude-standard", "--", .. SourcePaths], cancellationToken);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(diff));
        foreach (var file in untracked.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(file));
            hash.AppendData(await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot.Path, file), cancellationToken));
        }

        return head.Trim()[..12] + "-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = RepositoryRoot.Path,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await error);
    }
}
