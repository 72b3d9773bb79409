using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using FunctionsPortal.Hosting;

namespace FunctionsPortal.Jobs;

/// <summary>How many function invocations ran, how they ended and how long they took.</summary>
public sealed class InvocationTelemetry
{
    private readonly Counter<long> _invocations;
    private readonly Histogram<double> _invocationDuration;

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "IMeterFactory owns and disposes the meters it creates.")]
    public InvocationTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(PortalTelemetry.Name);
        _invocations = meter.CreateCounter<long>("portal.function.invocations", "{invocation}", "Function invocations by outcome.");
        _invocationDuration = meter.CreateHistogram<double>("portal.function.duration", "s", "Function invocation duration.");
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
}
