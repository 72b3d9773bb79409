using System.Text;
using FunctionsPortal.Jobs;
using FunctionsPortal.Operations;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace FunctionsPortal.Tests.Operations;

public sealed class PoisonQueueMonitorTests(AzuriteFixture azurite)
{
    private static Task<InvocationOutcome> RunMonitorAsync(PortalApplication app, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<FunctionInvoker>().InvokeAsync(
            PoisonQueueMonitor.FunctionName, Guid.NewGuid().ToString(), InvocationPayload.Parse(Encoding.UTF8.GetBytes(Jobs.HostPayloads.Timer)), "timer", cancellationToken);

    [Fact]
    public async Task EachParkedMessageIsReportedOnceWithLogAndMetricAndStaysInItsQueue()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = new PortalApplication(azurite);
        var storage = app.Services.GetRequiredService<FunctionsPortal.Storage.PortalStorage>();
        var poison = storage.GetQueue("invitations-poison");
        var healthy = storage.GetQueue("invitations");
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await healthy.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        for (var i = 0; i < 40; i++)
        {
            await poison.SendMessageAsync($"{{\"assignmentId\":\"a-{i}\"}}", cancellationToken);
        }

        await healthy.SendMessageAsync("{\"assignmentId\":\"ok\"}", cancellationToken);
        using var reported = new MetricCollector<long>(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "FunctionsPortal", "portal.queue.poison.reported");
        using var depth = new MetricCollector<long>(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "FunctionsPortal", "portal.queue.poison.messages");

        var first = await RunMonitorAsync(app, cancellationToken);
        var second = await RunMonitorAsync(app, cancellationToken);

        Assert.True(first.Succeeded, first.Error);
        Assert.True(second.Succeeded, second.Error);
        // 40 messages: more than one peek (32) can show, each reported exactly once across two runs.
        Assert.Equal(40, reported.GetMeasurementSnapshot().Sum(measurement => measurement.Value));
        Assert.All(reported.GetMeasurementSnapshot(), measurement => Assert.Equal(poison.Name, measurement.Tags["queue"]));
        Assert.Equal(40, depth.LastMeasurement!.Value);
        var errors = app.Logs.GetSnapshot().Where(record => record.Level == LogLevel.Error && record.Message.Contains("Poison message", StringComparison.Ordinal)).ToList();
        Assert.Equal(40, errors.Count);
        Assert.Contains(errors, record => record.Message.Contains("\"assignmentId\":\"a-39\"", StringComparison.Ordinal));
        Assert.Contains("40 parked message(s), 0 newly reported", second.Invocation!.Logs[^1], StringComparison.Ordinal);
        // The monitor only looks: every message is still there and visible again.
        Assert.Equal(32, (await poison.PeekMessagesAsync(32, cancellationToken)).Value.Length);
        Assert.Equal(40, (await poison.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount);
        Assert.Single((await healthy.PeekMessagesAsync(32, cancellationToken)).Value);
    }

    [Fact]
    public async Task NoPoisonQueuesMeansNothingReported()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = new PortalApplication(azurite);

        var outcome = await RunMonitorAsync(app, cancellationToken);

        Assert.True(outcome.Succeeded);
        Assert.Equal("0 poison queue(s), 0 parked message(s), 0 newly reported", outcome.Invocation!.Logs[^1]);
    }
}
