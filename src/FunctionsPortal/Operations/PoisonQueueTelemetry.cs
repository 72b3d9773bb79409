using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using FunctionsPortal.Hosting;

namespace FunctionsPortal.Operations;

/// <summary>What the poison-queue monitor saw: each queue's depth at the last check, and messages reported for the first time.</summary>
internal sealed class PoisonQueueTelemetry
{
    private readonly Gauge<long> _poisonMessages;
    private readonly Counter<long> _poisonMessagesReported;

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "IMeterFactory owns and disposes the meters it creates.")]
    public PoisonQueueTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(PortalTelemetry.Name);
        _poisonMessages = meter.CreateGauge<long>("portal.queue.poison.messages", "{message}", "Messages parked in a -poison queue, per queue, at the last check.");
        _poisonMessagesReported = meter.CreateCounter<long>("portal.queue.poison.reported", "{message}", "Poison messages reported for the first time.");
    }

    public void RecordPoisonDepth(string queueName, long messages) =>
        _poisonMessages.Record(messages, new KeyValuePair<string, object?>("queue", queueName));

    public void RecordPoisonReported(string queueName) =>
        _poisonMessagesReported.Add(1, new KeyValuePair<string, object?>("queue", queueName));
}
