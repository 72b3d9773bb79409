using FunctionsPortal.Hosting;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Hosting;

/// <summary>A newcomer on <c>/</c> in Development finds the local outbox (where the survey links are) and the staff console.</summary>
public sealed class HomePageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task InDevelopmentTheHomePageLinksToTheLocalOutbox()
    {
        await using var app = new PortalApplication(azurite);
        using var client = app.CreateClient();

        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        var outbox = await client.GetAsync(new Uri("/outbox", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("<a href=\"/outbox\" id=\"local-outbox\">", home, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/staff\">", home, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, outbox.StatusCode);
    }

    [Fact]
    public void OutsideDevelopmentTheHomePageOffersNeither()
    {
        var home = HostingFeature.HomePage(development: false, localOutbox: false);

        Assert.DoesNotContain("/outbox", home, StringComparison.Ordinal);
        Assert.DoesNotContain("/staff", home, StringComparison.Ordinal);
        Assert.Contains("/healthz", home, StringComparison.Ordinal);
    }
}
