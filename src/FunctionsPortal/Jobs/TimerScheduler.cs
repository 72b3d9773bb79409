using System.Text.Json;

namespace FunctionsPortal.Jobs;

/// <summary>
/// Standalone mode's stand-in for the host's timer triggers: runs each timer function on the NCRONTAB schedule in
/// its function.json. Like the host, a failed run is not retried; the next occurrence runs as scheduled.
/// </summary>
internal sealed partial class TimerScheduler(
    FunctionCatalog catalog,
    FunctionInvoker invoker,
    IConfiguration configuration,
    TimeProvider timeProvider,
    ILogger<TimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timers = catalog.Functions
            .Where(function => function.Kind == TriggerKind.Timer && invoker.IsRegistered(function.Name))
            .Select(function => RunScheduleAsync(function, TimerSchedule.For(function, configuration), stoppingToken));
        return Task.WhenAll(timers);
    }

    private async Task RunScheduleAsync(FunctionDefinition function, TimerSchedule schedule, CancellationToken stoppingToken)
    {
        await Task.Yield();
        DateTimeOffset? last = null;
        var now = timeProvider.GetUtcNow();
        var first = schedule.NextAfter(now);
        LogScheduled(function.Name, schedule.Expression, first);
        if (schedule.RunOnStartup)
        {
            await InvokeAsync(function, schedule, last, now, stoppingToken);
            last = now;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var due = schedule.NextAfter(timeProvider.GetUtcNow());
            var delay = due - timeProvider.GetUtcNow();
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, timeProvider, stoppingToken);
            }

            await InvokeAsync(function, schedule, last, due, stoppingToken);
            last = due;
        }
    }

    private Task<InvocationOutcome> InvokeAsync(FunctionDefinition function, TimerSchedule schedule, DateTimeOffset? last, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var timerInfo = new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = last ?? DateTimeOffset.MinValue, Next = schedule.NextAfter(due), LastUpdated = now },
            IsPastDue = now - due > TimeSpan.FromSeconds(30),
        };
        var payload = new InvocationPayload(
            new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase)
            {
                [function.Trigger.Name] = JsonSerializer.SerializeToElement(timerInfo),
            },
            new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase)
            {
                ["sys"] = JsonSerializer.SerializeToElement(new { MethodName = function.Name, UtcNow = now, RandGuid = Guid.NewGuid() }),
            });
        return invoker.InvokeAsync(function.Name, Guid.NewGuid().ToString(), payload, "timer", cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {FunctionName} scheduled '{Schedule}' (UTC); next run {Next:O}")]
    private partial void LogScheduled(string functionName, string schedule, DateTimeOffset next);
}
