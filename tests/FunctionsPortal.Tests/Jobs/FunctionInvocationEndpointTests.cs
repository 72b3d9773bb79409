using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FunctionsPortal.Jobs;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsPortal.Tests.Jobs;

/// <summary>The custom-handler contract, replayed with the host's real payload shapes.</summary>
public sealed class FunctionInvocationEndpointTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestAppRoot _root = TestAppRoot.CopyOfApp()
        .AddTimer("TestTimer", "0 0 0 * * *")
        .AddTimer("BrokenTimer", "0 0 0 * * *")
        .AddQueue("TestQueue", "test-queue");

    private readonly InvocationRecorder _recorder = new();

    private PortalApplication UnderFunctionsHost(string? prefix = null) => new(
        azurite,
        prefix: prefix,
        settings: new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071", ["Jobs:AppRoot"] = _root.Path, ["Secrets:VaultUri"] = "https://kv-test.vault.azure.net/" },
        configureServices: RegisterTestJobs);

    private void RegisterTestJobs(IServiceCollection services)
    {
        services.AddSingleton(_recorder);
        services.AddFunctionJob<RecordingJob>("TestTimer");
        services.AddFunctionJob<FailingJob>("BrokenTimer");
        services.AddFunctionJob<RecordingJob>("TestQueue");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task TimerInvocationAnswersTheHostsResponseShape()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = UnderFunctionsHost(prefix: "");
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/TestTimer") { Content = Json(HostPayloads.Timer) };
        request.Headers.Add("X-Azure-Functions-InvocationId", "3b1f0c6e-timer");

        using var response = await client.SendAsync(request, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], body.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal(["recorded"], body.RootElement.GetProperty("Logs").EnumerateArray().Select(line => line.GetString()));
        var invocation = Assert.Single(_recorder.Invocations);
        Assert.Equal("3b1f0c6e-timer", invocation.InvocationId);
        Assert.False(invocation.Payload.Data["timer"].GetProperty("IsPastDue").GetBoolean());
    }

    [Fact]
    public async Task QueueInvocationDeliversTheUnwrappedMessageAndMetadata()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = UnderFunctionsHost(prefix: "");
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/TestQueue", Json(HostPayloads.QueueWithJsonMessage), cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var invocation = Assert.Single(_recorder.Invocations);
        Assert.Equal("a-42", invocation.Payload.Data["message"].GetProperty("assignmentId").GetString());
        Assert.Equal(2, invocation.Payload.Metadata["DequeueCount"].GetInt32());
    }

    [Fact]
    public async Task RealPoisonQueueMonitorRunsUnderTheHostContract()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = UnderFunctionsHost(prefix: "");
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/PoisonQueueMonitor", Json(HostPayloads.Timer), cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        Assert.Contains("poison queue(s)", result.GetProperty("Logs").EnumerateArray().Last().GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFunctionIsA404WithAMessage()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = UnderFunctionsHost(prefix: "");
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/NoSuchFunction", Json(HostPayloads.Timer), cancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        Assert.Contains("NoSuchFunction", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"Data\":")]
    [InlineData("[]")]
    [InlineData("{\"Metadata\":{}}")]
    public async Task MalformedBodyIsA400WithAMessageNeverA500(string body)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = UnderFunctionsHost(prefix: "");
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/TestTimer", Json(body), cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Empty(_recorder.Invocations);
    }

    [Fact]
    public async Task AJobThatThrowsIsANon2xxAndIsLoggedWithItsInvocationId()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = UnderFunctionsHost(prefix: "");
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/BrokenTimer") { Content = Json(HostPayloads.Timer) };
        request.Headers.Add("X-Azure-Functions-InvocationId", "inv-broken-1");

        using var response = await client.SendAsync(request, cancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal); // no stack trace
        Assert.Contains(app.Logs.GetSnapshot(), record =>
            record.Level == LogLevel.Error && record.Message.Contains("inv-broken-1", StringComparison.Ordinal) && record.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task StandaloneModeExposesNoInvocationEndpoint()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Jobs:AppRoot"] = _root.Path },
            configureServices: RegisterTestJobs);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/TestTimer", Json(HostPayloads.Timer), cancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_recorder.Invocations);
    }

    public void Dispose() => _root.Dispose();
}
