using System.Net;
using System.Text.Json;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Hosting;

public sealed class HealthEndpointTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task HealthyWhenEveryStorageServiceAnswers()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = new PortalApplication(azurite);
        using var client = app.CreateClient();

        var health = await PollAsync(client, HttpStatusCode.OK, cancellationToken);

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("standalone", health.GetProperty("mode").GetString());
        Assert.Equal(["tables", "blobs", "queues"], health.GetProperty("storage").GetProperty("services").EnumerateArray().Select(service => service.GetProperty("service").GetString()));
        Assert.True(health.GetProperty("storage").GetProperty("resourcesCreated").GetBoolean());
    }

    [Fact]
    public async Task StorageOutageIsReportedTheAppKeepsAnsweringAndRecovers()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var outageAzurite = new AzuriteProcess();
        await outageAzurite.StartAsync(cancellationToken);
        await using var app = new PortalApplication(outageAzurite.ConnectionString);
        using var client = app.CreateClient();
        await PollAsync(client, HttpStatusCode.OK, cancellationToken);

        await outageAzurite.StopAsync();
        var down = await PollAsync(client, HttpStatusCode.ServiceUnavailable, cancellationToken);
        using var home = await client.GetAsync("/", cancellationToken);
        await outageAzurite.StartAsync(cancellationToken);
        var up = await PollAsync(client, HttpStatusCode.OK, cancellationToken);

        Assert.Equal("Unhealthy", down.GetProperty("status").GetString());
        Assert.All(down.GetProperty("storage").GetProperty("services").EnumerateArray(), service =>
        {
            Assert.False(service.GetProperty("reachable").GetBoolean());
            Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("error").GetString()));
        });
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal("Healthy", up.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AppStartsAndSaysSoWhenStorageIsUnreachableFromTheStart()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // A port nobody listens on: storage is down before the app starts.
        var deadConnection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AzuriteProcess.AccountKey +
                             ";BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";
        await using var app = new PortalApplication(deadConnection);
        using var client = app.CreateClient();

        using var home = await client.GetAsync("/", cancellationToken);
        var health = await PollAsync(client, HttpStatusCode.ServiceUnavailable, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.False(health.GetProperty("storage").GetProperty("resourcesCreated").GetBoolean());
    }

    private static async Task<JsonElement> PollAsync(HttpClient client, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var health = await Eventually.ValueAsync(
            async () =>
            {
                using var response = await client.GetAsync("/healthz", cancellationToken);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(cancellationToken));
            },
            answer => answer.StatusCode == expected,
            answer => $"/healthz to answer {expected}; it stayed {answer.StatusCode}: {answer.Body}",
            TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
        return JsonSerializer.Deserialize<JsonElement>(health.Body);
    }
}
