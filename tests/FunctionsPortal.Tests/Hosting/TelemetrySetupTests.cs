using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using FunctionsPortal.Hosting;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Hosting;

public sealed class TelemetrySetupTests(AzuriteFixture azurite)
{
    [Fact]
    public void AppServiceAuthenticationStringBecomesAManagedIdentityCredential()
    {
        Assert.IsType<ManagedIdentityCredential>(TelemetrySetup.CredentialFor("ClientId=6c3d3b40-1111-2222-3333-444455556666;Authorization=AAD"));
        Assert.Null(TelemetrySetup.CredentialFor(null));
        Assert.Throws<InvalidOperationException>(() => TelemetrySetup.CredentialFor("ClientId=x"));
    }

    [Fact]
    public async Task AppStartsWithTheApplicationInsightsExporterConfigured()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = new PortalApplication(azurite, settings: new Dictionary<string, string?>
        {
            [TelemetrySetup.ConnectionStringSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
        });
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/", cancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var exporter = app.Services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);
        Assert.Equal("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/", exporter.ConnectionString);
    }
}
