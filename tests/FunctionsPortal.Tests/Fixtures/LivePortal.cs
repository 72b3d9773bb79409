using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// The portal on real Kestrel, on a loopback port the OS picks, so that a real browser (<see cref="BrowserFixture"/>) can
/// reach it. Same app, settings, fakes and logs as the in-memory portal; only the server differs.
/// </summary>
/// <example>
/// <code>
/// await using var app = await PortalApplication.StartLiveAsync(azurite);
/// var baseAddress = app.BaseAddress;                  // http://127.0.0.1:&lt;free port&gt;/
/// await using var context = await browser.NewContextAsync();
/// var page = await context.NewPageAsync();
/// await page.GotoAsync(new Uri(baseAddress, "/").ToString());
/// </code>
/// </example>
public sealed partial class PortalApplication
{
    private Uri? _baseAddress;

    /// <summary>Where the live server listens, e.g. <c>http://127.0.0.1:41234/</c>; only after <see cref="StartLiveServer"/>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException(
        $"The portal is not served on Kestrel: call {nameof(StartLiveServer)}() first (before anything else starts the app in memory).");

    /// <summary>A new portal on Kestrel with its storage ready: where a browser test starts.</summary>
    public static async Task<PortalApplication> StartLiveAsync(AzuriteFixture azurite)
    {
        var app = new PortalApplication(azurite);
        try
        {
            app.StartLiveServer();
            await app.Services.WhenStorageReadyAsync();
            return app;
        }
        catch
        {
            // The test class never receives the app, so it could not dispose it.
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the app on Kestrel, listening on 127.0.0.1 and a port the OS assigns (never a fixed one), and returns its base
    /// address. Call it first: once the app has started in memory (<c>Services</c>, <c>CreateClient</c>) it cannot move to
    /// Kestrel. Calling it again returns the same address. <c>CreateClient</c> then talks to the live server too.
    /// </summary>
    public Uri StartLiveServer()
    {
        if (_baseAddress is not null)
        {
            return _baseAddress;
        }

        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (addresses.Count != 1)
        {
            throw new InvalidOperationException(
                $"Expected Kestrel on one loopback address, got [{string.Join(", ", addresses)}]: was the portal started in memory before {nameof(StartLiveServer)}()?");
        }

        _baseAddress = new Uri(addresses.Single().TrimEnd('/') + "/");
        return _baseAddress;
    }
}
