namespace FunctionsPortal.Jobs;

/// <summary>The <c>extensions.queues</c> section of host.json, with the Functions host's defaults.</summary>
public sealed record QueueTriggerSettings(
    int MaxDequeueCount,
    TimeSpan VisibilityTimeout,
    int BatchSize,
    TimeSpan MaxPollingInterval)
{
    public static QueueTriggerSettings Defaults { get; } = new(5, TimeSpan.Zero, 16, TimeSpan.FromMinutes(1));

    public const string PoisonSuffix = "-poison";
}
