using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// One Azurite server from the repo's node_modules (pinned in package.json), in memory, on ports the OS picks.
/// Stop and start again keep the same ports, so a test can simulate an outage. Only this process is ever killed.
/// </summary>
public sealed partial class AzuriteProcess(string? persistentLocation = null) : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Extra arguments for node, before Azurite's script (benchmarks profile the emulator with it).</summary>
    public const string NodeArgumentsVariable = "FUNCTIONSPORTAL_AZURITE_NODE_ARGS";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private Process? _process;

    /// <summary>CPU the emulator has used so far (benchmarks split the work between the portal and the emulator).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            var process = _process ?? throw new InvalidOperationException("Azurite is not running.");
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public int BlobPort { get; private set; }

    public int QueuePort { get; private set; }

    public int TablePort { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    public static string ScriptPath => Path.Combine(RepositoryRoot.Path, "node_modules", "azurite", "dist", "src", "azurite.js");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(ScriptPath))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({ScriptPath} is missing). Run the README test command (npm test), which runs `npm ci` first.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        // Diagnostics only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/azurite-profile` to see where the emulator spends its time).
        foreach (var nodeArgument in (Environment.GetEnvironmentVariable(NodeArgumentsVariable) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(nodeArgument);
        }

        start.ArgumentList.Add(ScriptPath);
        if (persistentLocation is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            // Data on disk: a stop and start keeps every table, blob and queue (an outage, not a wipe).
            Directory.CreateDirectory(persistentLocation);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(persistentLocation);
        }

        foreach (var argument in new[]
                 {
                     // --silent: no access log line per request, which nobody reads and cost the emulator an eighth of its CPU.
                     "--skipApiVersionCheck", "--disableTelemetry", "--silent",
                     "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        _process = process;
        var listening = new Dictionary<string, int>(StringComparer.Ordinal);
        var output = new System.Text.StringBuilder();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            while (listening.Count < 3)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                           ?? throw new InvalidOperationException($"Azurite exited during start-up:\n{output}{await process.StandardError.ReadToEndAsync(cancellationToken)}");
                output.AppendLine(line);
                var match = Listening().Match(line);
                if (match.Success)
                {
                    listening[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await StopAsync();
            throw new TimeoutException($"Azurite did not listen within {StartTimeout.TotalSeconds} s:\n{output}");
        }

        (BlobPort, QueuePort, TablePort) = (listening["Blob"], listening["Queue"], listening["Table"]);
        // Keep draining output so Azurite never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
    }

    /// <summary>Stops Azurite like an operator would (SIGINT: it saves its data and closes); killed if it does not exit in 10 s.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited && !OperatingSystem.IsWindows())
            {
                using var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await interrupt.WaitForExitAsync(CancellationToken.None);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    // Did not stop in time: fall through to the kill below.
                }
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }

            process.Dispose();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex Listening();
}
