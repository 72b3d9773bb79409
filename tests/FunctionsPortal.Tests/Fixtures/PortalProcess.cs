using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// The portal as a process of its own, standalone (its in-process scheduler and queue poller), on a free loopback
/// port: one "instance" of a multi-instance run, which a test can kill like a crashed machine and start again.
/// </summary>
/// <remarks>
/// It runs the build the tests run against, framework-dependent (<c>dotnet FunctionsPortal.dll</c> from the test's
/// output folder, where the app's deps, runtimeconfig, appsettings, host.json and function folders are copied), so no
/// publish step (about a minute here) is paid; the published package has its own tests (PublishedHandlerTests).
/// The child sees only the settings the test gives it: inherited Azure credentials, identity endpoints, ASP.NET Core
/// and configuration overrides (<c>Section__Key</c>) are removed, so nothing from the test runner's environment leaks in.
/// Only processes this class started are ever killed.
/// </remarks>
public sealed class PortalProcess(string name, IReadOnlyDictionary<string, string> settings) : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private static readonly string[] InheritedPrefixesRemoved = ["AZURE_", "MSI_", "IDENTITY_", "IMDS_", "ASPNETCORE_", "FUNCTIONS_", "APPLICATIONINSIGHTS_", "OTEL_"];

    private readonly Lock _gate = new();
    private readonly StringBuilder _output = new();
    private readonly List<Process> _processes = [];
    private Process? _running;

    public string Name => name;

    /// <summary>Where the running process listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri? Url { get; private set; }

    /// <summary>How many times it was started (a restart after a kill counts).</summary>
    public int Starts { get; private set; }

    /// <summary>How many times it was killed.</summary>
    public int Kills { get; private set; }

    /// <summary>Everything every start of it wrote to stdout and stderr, each line prefixed with its name and start.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Starts the process and waits until <c>/healthz</c> answers 200 (its storage reachable and initialized).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_running is { HasExited: false })
        {
            throw new InvalidOperationException($"{name} is already running.");
        }

        var port = FreePort.Next();
        var start = new ProcessStartInfo(DotnetHost)
        {
            WorkingDirectory = AppContext.BaseDirectory, // the content root: appsettings.json is read from here
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FunctionsPortal.dll"));
        foreach (var inherited in start.Environment.Keys.Where(IsRemoved).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

        var generation = ++Starts;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} could not be started.");
        _processes.Add(process);
        _running = process;
        process.OutputDataReceived += (_, line) => Append(generation, line.Data);
        process.ErrorDataReceived += (_, line) => Append(generation, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

        using var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        var last = "no answer yet";
        await Eventually.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{name} exited during start-up (exit code {process.ExitCode}):\n{Tail()}");
                }

                try
                {
                    using var response = await client.GetAsync("healthz", cancellationToken);
                    last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception exception) when (exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    last = exception.Message;
                    return false;
                }
            },
            () => $"{name} to answer 200 on /healthz (last: {last}):\n{Tail()}",
            ReadyTimeout, TimeSpan.FromMilliseconds(250), cancellationToken);
    }

    /// <summary>SIGKILL, as a crashed or evicted instance: no shutdown, no finally blocks, leases and queue messages left held.</summary>
    public async Task KillAsync()
    {
        var process = _running ?? throw new InvalidOperationException($"{name} is not running.");
        _running = null;
        process.Kill();
        await process.WaitForExitAsync(CancellationToken.None);
        Kills++;
        Append(Starts, $"--- killed (SIGKILL, pid {process.Id.ToString(CultureInfo.InvariantCulture)}) ---");
    }

    /// <summary>The last lines of <see cref="Output"/>, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        var all = Output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }

            process.Dispose();
        }

        _processes.Clear();
        _running = null;
    }

    private static bool IsRemoved(string key) =>
        key.Contains("__", StringComparison.Ordinal) || key.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
                                                     || InheritedPrefixesRemoved.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    private void Append(int generation, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.Append(name).Append('#').Append(generation.ToString(CultureInfo.InvariantCulture)).Append(": ").AppendLine(line);
        }
    }
}
