using System.Net;
using System.Net.Sockets;

namespace FunctionsPortal.Tests.Fixtures;

public static class FreePort
{
    /// <summary>A loopback port the OS just handed out (bound to port 0, then released).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
