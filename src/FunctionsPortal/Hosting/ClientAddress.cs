using System.Net;

namespace FunctionsPortal.Hosting;

/// <summary>
/// The address a request came from. Standalone, the connection's; under the Functions host every request arrives
/// from the host on loopback, so it is the last <c>X-Forwarded-For</c> entry — the one Azure's front end appended,
/// which a client cannot forge (anything it sends itself comes before it).
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext context, HostingMode mode)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(mode);
        if (mode.IsFunctionsHost && LastForwarded(context.Request.Headers["X-Forwarded-For"].ToString()) is { } forwarded)
        {
            return forwarded;
        }

        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    /// <summary>The last entry of a forwarded-for list, without a port (Azure writes "203.0.113.7:51234").</summary>
    internal static string? LastForwarded(string header)
    {
        var last = header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (last is null)
        {
            return null;
        }

        if (IPEndPoint.TryParse(last, out var endPoint))
        {
            return endPoint.Address.ToString();
        }

        return IPAddress.TryParse(last.Trim('[', ']'), out var address) ? address.ToString() : null;
    }
}
