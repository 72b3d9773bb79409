using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>Starts a fake's Kestrel app (listening on a loopback port the OS picks) and says where it listens.</summary>
/// <remarks>GraphFake, KeyVaultFake and HostRoutingProxy still carry their own copy of these lines.</remarks>
public static class LoopbackServer
{
    /// <summary>Starts <paramref name="app"/>; its root, e.g. <c>http://127.0.0.1:41234/</c>. A start that fails leaves nothing running.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new Uri(address.TrimEnd('/') + "/");
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
