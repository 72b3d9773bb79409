using System.Globalization;

namespace FunctionsPortal.Hosting;

public enum PortalHostMode
{
    /// <summary>Plain <c>dotnet run</c>: timers and queues run in-process.</summary>
    Standalone,

    /// <summary>Started by the Azure Functions host as a custom handler: the host drives timers and queues.</summary>
    FunctionsHost,
}

/// <summary>How this process was started; decided once from <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>.</summary>
public sealed record HostingMode(PortalHostMode Mode, int? CustomHandlerPort)
{
    public const string CustomHandlerPortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public bool IsFunctionsHost => Mode == PortalHostMode.FunctionsHost;

    public static HostingMode Detect(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var port = configuration[CustomHandlerPortSetting];
        if (string.IsNullOrWhiteSpace(port))
        {
            return new HostingMode(PortalHostMode.Standalone, null);
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 65535
            ? new HostingMode(PortalHostMode.FunctionsHost, value)
            : throw new InvalidOperationException($"{CustomHandlerPortSetting} is '{port}', which is not a TCP port.");
    }

    public override string ToString() => IsFunctionsHost ? "functions-host" : "standalone";
}
