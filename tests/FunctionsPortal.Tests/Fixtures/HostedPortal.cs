namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// The portal as a browser reaches it in Azure: on Kestrel, behind a proxy that routes like the Functions host
/// (<see cref="HostRoutingProxy"/>). Browser tests open <see cref="Url"/>; a page that uses a URL no function route takes
/// gets a 404 there, and <see cref="AssertEverythingWasRouted"/> (run when the test class is disposed) fails the test.
/// </summary>
public sealed class HostedPortal : IAsyncDisposable
{
    private readonly HostRoutingProxy _proxy;

    private HostedPortal(PortalApplication app, HostRoutingProxy proxy)
    {
        App = app;
        _proxy = proxy;
    }

    public PortalApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The address a browser uses: the host-like proxy, never the app directly.</summary>
    public Uri PublicAddress => _proxy.BaseAddress;

    public static async Task<HostedPortal> StartAsync(AzuriteFixture azurite, CancellationToken cancellationToken)
    {
        var app = await PortalApplication.StartLiveAsync(azurite);
        try
        {
            return new HostedPortal(app, await HostRoutingProxy.StartAsync(app.BaseAddress, HostRoutes.Published, cancellationToken));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public string Url(string path) => new Uri(PublicAddress, path).ToString();

    public void AssertEverythingWasRouted() =>
        Assert.True(_proxy.Refused.Count == 0, "The pages used URLs the Functions host does not route (404 in Azure): " + string.Join(", ", _proxy.Refused.Distinct()));

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await App.DisposeAsync();
    }
}
