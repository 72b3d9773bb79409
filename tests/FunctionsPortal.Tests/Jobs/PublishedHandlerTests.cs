using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Jobs;

/// <summary>
/// What azd deploys: a plain <c>dotnet publish -c Release -o DIR</c>, started exactly as the Functions host starts a
/// custom handler (working directory = package root, executable and arguments from host.json,
/// FUNCTIONS_CUSTOMHANDLER_PORT), then polled on <c>GET /</c> and sent a replayed timer invocation.
/// The package is linux-x64 (Flex Consumption), so these tests run on Linux, as CI does.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PublishedHandlerTests(AzuriteFixture azurite, PublishedPackage package) : IClassFixture<PublishedPackage>
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly string _publishDirectory = package.Directory;

    [Fact]
    public void PackageHoldsHostJsonEveryFunctionAndTheSelfContainedExecutable()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(_publishDirectory, "host.json")))!;
        var executable = Path.Combine(_publishDirectory, host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());

        Assert.True(File.Exists(executable), $"{executable} is missing");
        Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute), "the handler must be executable");
        // Self-contained linux-x64: the runtime travels with the package (the `custom` image promises none).
        Assert.True(File.Exists(Path.Combine(_publishDirectory, "libcoreclr.so")), "libcoreclr.so missing: not self-contained");
        var functions = Directory.EnumerateDirectories(Path.Combine(RepositoryRoot.Path, "src", "FunctionsPortal", "Functions")).Select(Path.GetFileName);
        Assert.All(functions, name => Assert.True(File.Exists(Path.Combine(_publishDirectory, name!, "function.json")), $"{name}/function.json missing"));
        Assert.False(Directory.Exists(Path.Combine(_publishDirectory, "Functions")), "function folders must sit at the package root");
    }

    [Fact]
    public async Task PublishedHandlerStartsAsTheHostStartsItAndAnswersATimerInvocation()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(_publishDirectory, "host.json")))!["customHandler"]!["description"]!;
        var port = FreePort.Next();
        var start = new ProcessStartInfo(Path.Combine(_publishDirectory, host["defaultExecutablePath"]!.GetValue<string>()))
        {
            WorkingDirectory = _publishDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in host["arguments"]?.AsArray().Select(node => node!.GetValue<string>()) ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = Guid.NewGuid().ToString();
        start.Environment["Storage__ConnectionString"] = azurite.ConnectionString;
        start.Environment["Secrets__VaultUri"] = "https://kv-test.vault.azure.net/";
        start.Environment["Throttling__WrongTokensPerAddress"] = "2";
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_URLS");

        using var handler = Process.Start(start)!;
        var log = new StringBuilder();
        handler.OutputDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        handler.ErrorDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        handler.BeginOutputReadLine();
        handler.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilReadyAsync(client, handler, log, cancellationToken);

            using var request = new HttpRequestMessage(HttpMethod.Post, "/PoisonQueueMonitor")
            {
                Content = new StringContent(HostPayloads.Timer, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Azure-Functions-InvocationId", "published-1");
            request.Headers.Add("X-Azure-Functions-HostVersion", "4.1044.0");
            using var response = await client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var health = await client.GetAsync("/healthz", cancellationToken);
            var healthBody = await health.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            using var openApi = await client.GetAsync("/openapi/v1.json", cancellationToken);
            // Every request reaches the handler from the host on loopback: the client is the front end's X-Forwarded-For entry.
            var guesses = new List<HttpStatusCode>();
            foreach (var (forwardedFor, token) in new[] { ("203.0.113.1:5000", "guess-1"), ("198.51.100.9, 203.0.113.1:5001", "guess-2"), ("203.0.113.1", "guess-3"), ("203.0.113.1, 203.0.113.2:443", "guess-4") })
            {
                using var guess = new HttpRequestMessage(HttpMethod.Get, $"/v/{token}");
                guess.Headers.Add("X-Forwarded-For", forwardedFor);
                using var answer = await client.SendAsync(guess, cancellationToken);
                guesses.Add(answer.StatusCode);
            }

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}\n{log}");
            using var result = JsonDocument.Parse(body);
            Assert.Contains("poison queue(s)", result.RootElement.GetProperty("Logs").EnumerateArray().Last().GetString(), StringComparison.Ordinal);
            Assert.Equal("functions-host", healthBody.GetProperty("mode").GetString());
            // Under the host (always behind HTTPS): HSTS and nosniff on every response; the API's map only for staff outside Development.
            Assert.Equal(FunctionsPortal.Hosting.ResponseSecurityHeaders.StrictTransportSecurity, health.Headers.GetValues("Strict-Transport-Security").Single());
            Assert.Equal("nosniff", health.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal(HttpStatusCode.Unauthorized, openApi.StatusCode);
            Assert.Equal("nosniff", openApi.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.NotFound], guesses);
            lock (log)
            {
                // Production logging is one JSON object per line, carrying the invocation id in its scope.
                Assert.Contains(log.ToString().Split('\n'), line => line.StartsWith('{') && line.Contains("published-1", StringComparison.Ordinal));
            }
        }
        finally
        {
            if (!handler.HasExited)
            {
                handler.Kill(entireProcessTree: true);
                await handler.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task PublishedHandlerWithoutStorageSettingsRefusesToStartWithALogLineNamingTheSetting()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo(Path.Combine(_publishDirectory, "FunctionsPortal"))
        {
            WorkingDirectory = _publishDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Secrets__VaultUri"] = "https://kv-test.vault.azure.net/";
        foreach (var inherited in start.Environment.Keys.Where(key => key.StartsWith("Storage__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        using var handler = Process.Start(start)!;
        var output = handler.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = handler.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadyTimeout);
        await handler.WaitForExitAsync(timeout.Token);

        var log = await output + await errors;
        Assert.NotEqual(0, handler.ExitCode);
        Assert.Contains(log.Split('\n'), line => line.StartsWith('{') && line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal)
                                                  && line.Contains("Storage:ConnectionString", StringComparison.Ordinal));
    }

    private static Task WaitUntilReadyAsync(HttpClient client, Process handler, StringBuilder log, CancellationToken cancellationToken)
    {
        // The host polls GET / until any HTTP answer arrives; only connection errors mean "not ready".
        var lastError = "";
        return Eventually.UntilAsync(
            async () =>
            {
                Assert.False(handler.HasExited, $"the handler exited during start-up:\n{log}");
                try
                {
                    using var response = await client.GetAsync("/", cancellationToken);
                    return true;
                }
                catch (HttpRequestException error)
                {
                    lastError = error.Message;
                    return false;
                }
            },
            () =>
            {
                lock (log)
                {
                    return $"the handler to answer GET / (last: {lastError}):\n{log}";
                }
            },
            ReadyTimeout, TimeSpan.FromMilliseconds(25), cancellationToken);
    }
}
