using System.Net;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Hosting;

/// <summary>Every response says nosniff; HTML that set no policy of its own is never framed; standalone sends no HSTS (the host test checks it there).</summary>
public sealed class ResponseSecurityHeadersTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    [InlineData("/api/vendors", HttpStatusCode.Unauthorized)]
    [InlineData("/no-such-page", HttpStatusCode.NotFound)]
    [InlineData("/v/not-a-token", HttpStatusCode.NotFound)]
    [InlineData("/staff/assets/nothing-here.css", HttpStatusCode.NotFound)]
    public async Task EveryResponseSaysNoSniffAndNoneSendsHstsStandalone(string path, HttpStatusCode expected)
    {
        using var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path, Token);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task TheHomePageCannotBeFramed()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync("/", Token);

        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Contains("frame-ancestors 'none'", Assert.Single(response.Content.Headers.Contains("Content-Security-Policy") ? response.Content.Headers.GetValues("Content-Security-Policy") : response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }
}
