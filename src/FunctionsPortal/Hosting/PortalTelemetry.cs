using System.Diagnostics;

namespace FunctionsPortal.Hosting;

/// <summary>
/// The one name the app's traces and metrics go by; each capability creates its own instruments on the meter of
/// that name, and <see cref="TelemetrySetup"/> subscribes to it.
/// </summary>
public static class PortalTelemetry
{
    public const string Name = "FunctionsPortal";

    public static readonly ActivitySource ActivitySource = new(Name);
}
