using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using FunctionsPortal.Jobs;

namespace FunctionsPortal.Hosting;

/// <summary>The app's own traces and metrics, exported with everything else by OpenTelemetry.</summary>
public sealed class PortalTelemetry
{
    public const string Name = "FunctionsPortal";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _invocations;
    private readonly Histogram<double> _invocationDuration;
    private readonly Gauge<long> _poisonMessages;
    private readonly Counter<long> _poisonMessagesReported;

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "IMeterFactory owns and disposes the meters it creates.")]
    public PortalTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Name);
        _invocations = meter.CreateCounter<long>("portal.function.invocations", "{invocation}", "Function invocations by outcome.");
        _invocationDuration = meter.CreateHistogram<double>("portal.function.duration", "s", "Function invocation duration.");
        _poisonMessages = meter.CreateGauge<long>("portal.queue.poison.messages", "{message}", "Messages parked in a -poison queue, per queue, at the last check.");
        _poisonMessagesReported = meter.CreateCounter<long>("portal.queue.poison.reported", "{message}", "Poison messages reported for the first time.");
    }

    public void RecordInvocation(string functionName, string trigger, InvocationStatus status, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "faas.name", functionName },
            { "faas.trigger", trigger },
            { "outcome", status.ToString() },
        };
        _invocations.Add(1, tags);
        _invocationDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void RecordPoisonDepth(string queueName, long messages) =>
        _poisonMessages.Record(messages, new KeyValuePair<string, object?>("queue", queueName));

    public void RecordPoisonReported(string queueName) =>
        _poisonMessagesReported.Add(1, new KeyValuePair<string, object?>("queue", queueName));
}
