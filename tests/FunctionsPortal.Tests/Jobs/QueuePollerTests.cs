using FunctionsPortal.Jobs;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Jobs;

/// <summary>Standalone mode's queue trigger: same retry and poison semantics as the host, read from host.json.</summary>
public sealed class QueuePollerTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly InvocationRecorder _recorder = new();
    private readonly string _queueName = "q" + Guid.NewGuid().ToString("N")[..16];

    // Fast retries for the test: host.json's own values apply in the app.
    private readonly TestAppRoot _root = TestAppRoot.CopyOfApp(host =>
    {
        host["extensions"]!["queues"]!["maxDequeueCount"] = 3;
        host["extensions"]!["queues"]!["visibilityTimeout"] = "00:00:00";
        host["extensions"]!["queues"]!["maxPollingInterval"] = "00:00:00.200";
    });

    private PortalApplication Standalone<TJob>(TimeSpan? lease = null)
        where TJob : class, IFunctionJob
    {
        _root.AddQueue("WorkQueue", "%WORK_QUEUE%");
        var settings = new Dictionary<string, string?> { ["Jobs:RunInProcess"] = "true", ["Jobs:AppRoot"] = _root.Path, ["WORK_QUEUE"] = _queueName };
        if (lease is { } held)
        {
            settings["Jobs:QueueMessageLease"] = held.ToString();
        }

        return new PortalApplication(
            azurite,
            settings: settings,
            configureServices: services =>
            {
                services.AddSingleton(_recorder);
                services.AddFunctionJob<TJob>("WorkQueue");
            });
    }

    [Fact]
    public async Task AMessageIsDeliveredUnwrappedAndDeletedAfterSuccess()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = Standalone<RecordingJob>();
        var queue = azurite.CreateStorage(app.Prefix).GetQueue(_queueName);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        _ = app.Services;

        await queue.SendMessageAsync("{\"assignmentId\":\"a-7\"}", cancellationToken);
        await _recorder.WaitForAsync(1, Wait, cancellationToken);

        var invocation = Assert.Single(_recorder.Invocations);
        Assert.Equal("a-7", invocation.Payload.Data["message"].GetProperty("assignmentId").GetString());
        Assert.Equal(1, invocation.Payload.Metadata["DequeueCount"].GetInt64());
        await Eventually.ValueAsync(
            async () => (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount,
            left => left == 0,
            left => $"the delivered message to be deleted from the queue ({left} still in it)",
            Wait, TimeSpan.FromMilliseconds(50), cancellationToken);
    }

    [Fact]
    public async Task AFailingMessageIsRetriedMaxDequeueCountTimesThenParkedInThePoisonQueue()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = Standalone<FailingJob>();
        var storage = azurite.CreateStorage(app.Prefix);
        var queue = storage.GetQueue(_queueName);
        var poison = storage.GetQueue(_queueName + "-poison");
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        _ = app.Services;

        await queue.SendMessageAsync("{\"id\":\"never-works\"}", cancellationToken);
        await _recorder.WaitForAsync(3, Wait, cancellationToken);
        await UntilParkedAsync(poison, cancellationToken);

        Assert.Equal([1L, 2L, 3L], _recorder.Invocations.Select(invocation => invocation.Payload.Metadata["DequeueCount"].GetInt64()));
        var parked = Assert.Single((await poison.PeekMessagesAsync(10, cancellationToken)).Value);
        Assert.Equal("{\"id\":\"never-works\"}", parked.Body.ToString());
        Assert.Empty((await queue.PeekMessagesAsync(10, cancellationToken)).Value);
        await Task.Delay(500, cancellationToken);
        Assert.Equal(3, _recorder.Invocations.Count); // not tried a fourth time
    }

    [Fact]
    public async Task AMessageThatIsNotBase64IsParkedInThePoisonQueueNotLostAndNotLooping()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = Standalone<RecordingJob>();
        var raw = new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, azurite.CreateStorage(app.Prefix).QueueOrContainerName(_queueName)); // no Base64: a foreign producer
        var poison = azurite.CreateStorage(app.Prefix).GetQueue(_queueName + "-poison");
        await raw.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await raw.SendMessageAsync("plain text, not base64 !", cancellationToken);
        _ = app.Services;

        await UntilParkedAsync(poison, cancellationToken);

        Assert.Equal("plain text, not base64 !", (await poison.PeekMessagesAsync(1, cancellationToken)).Value[0].Body.ToString());
        Assert.Empty((await raw.PeekMessagesAsync(10, cancellationToken)).Value);
        Assert.Empty(_recorder.Invocations);
    }

    [Fact]
    public async Task AJobRunningLongerThanItsMessagesLeaseKeepsTheMessageInvisibleAndRunsOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var lease = TimeSpan.FromSeconds(2);
        await using var app = Standalone<SlowJob>(lease);
        var queue = azurite.CreateStorage(app.Prefix).GetQueue(_queueName);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        _ = app.Services;

        await queue.SendMessageAsync("{\"batch\":\"slow\"}", cancellationToken);
        await _recorder.WaitForAsync(1, Wait, cancellationToken);
        await Eventually.ValueAsync(
            async () => (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount,
            left => left == 0,
            left => $"the message to be deleted once the slow job finished ({left} still in it)",
            Wait, TimeSpan.FromMilliseconds(50), cancellationToken);

        Assert.True(SlowJob.Duration > 2 * lease, "the job must outlast its lease more than once for the test to mean anything");
        var invocation = Assert.Single(_recorder.Invocations); // its lease ran out twice while it worked: renewed, never handed out again
        Assert.Equal(1, invocation.Payload.Metadata["DequeueCount"].GetInt64());
        Assert.Contains(app.Logs.GetSnapshot(), record => record.Message.Contains("still running; kept invisible", StringComparison.Ordinal));
    }

    private static Task UntilParkedAsync(Azure.Storage.Queues.QueueClient poison, CancellationToken cancellationToken) => Eventually.UntilAsync(
        async () => await poison.ExistsAsync(cancellationToken) && (await poison.PeekMessagesAsync(1, cancellationToken)).Value.Length == 1,
        () => $"the message to be parked in {poison.Name}",
        Wait, TimeSpan.FromMilliseconds(50), cancellationToken);

    public void Dispose()
    {
        _root.Dispose();
        _recorder.Dispose();
    }
}
