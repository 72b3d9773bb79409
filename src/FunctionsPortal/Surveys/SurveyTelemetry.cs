using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using FunctionsPortal.Hosting;

namespace FunctionsPortal.Surveys;

/// <summary>Survey dispatch's own signals: invitations found without a mail and queued again.</summary>
public sealed class SurveyTelemetry
{
    private readonly Counter<long> _requeued;

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "IMeterFactory owns and disposes the meters it creates.")]
    public SurveyTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _requeued = meterFactory.Create(PortalTelemetry.Name)
            .CreateCounter<long>("portal.survey.invitations.requeued", "{invitation}", "Invitations found with no outbox row after the grace period and queued again.");
    }

    public void RecordRequeued(string cycle, int count) => _requeued.Add(count, new KeyValuePair<string, object?>("cycle", cycle));
}
