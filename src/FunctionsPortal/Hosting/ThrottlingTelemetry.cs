using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;

namespace FunctionsPortal.Hosting;

/// <summary>What throttling refused, as metrics: requests over a limit by kind, and links that did not open by outcome.</summary>
public sealed class ThrottlingTelemetry
{
    private readonly Counter<long> _refused;
    private readonly Counter<long> _wrongTokens;

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "IMeterFactory owns and disposes the meters it creates.")]
    public ThrottlingTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(PortalTelemetry.Name);
        _refused = meter.CreateCounter<long>("portal.throttling.refused", "{request}", "Requests answered 429 by kind of limit.");
        _wrongTokens = meter.CreateCounter<long>("portal.vendor_links.wrong_tokens", "{request}", "Vendor links that did not open, by outcome (unknown, expired, revoked, superseded, flood).");
    }

    public void Refused(string kind) => _refused.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void WrongToken(string outcome) => _wrongTokens.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
