using Azure.Core;
using Azure.Data.Tables;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Storage;

/// <summary>Every storage round trip is counted by kind in the scope that made it, the way pages report it.</summary>
public sealed class StorageOperationCounterTests(AzuriteFixture azurite) : IAsyncLifetime
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
    [InlineData(StorageService.Table, "GET", "/t(PartitionKey='p',RowKey='r')", StorageOperationKind.PointRead)]
    [InlineData(StorageService.Table, "GET", "/t()", StorageOperationKind.Scan)]
    [InlineData(StorageService.Table, "POST", "/$batch", StorageOperationKind.TableWrite)]
    [InlineData(StorageService.Blob, "HEAD", "/c/b", StorageOperationKind.BlobRead)]
    [InlineData(StorageService.Blob, "PUT", "/c/b", StorageOperationKind.BlobWrite)]
    [InlineData(StorageService.Queue, "GET", "/q/messages", StorageOperationKind.QueueOperation)]
    public void RequestsAreClassifiedByServiceMethodAndAddress(StorageService service, string method, string path, StorageOperationKind expected) =>
        Assert.Equal(expected, StorageOperationCounter.Classify(service, RequestMethod.Parse(method), path));

    [Fact]
    public async Task AScopeCountsTheRoundTripsMadeWithinItAndNestedScopesAddToTheOuter()
    {
        var table = _app.Services.GetRequiredService<PortalStorage>().GetTable("counted");
        await table.CreateIfNotExistsAsync(Token);
        using var outer = StorageOperationScope.Begin();
        await table.AddEntityAsync(new TableEntity("p", Guid.NewGuid().ToString("N")), Token);
        using (var inner = StorageOperationScope.Begin())
        {
            await table.GetEntityIfExistsAsync<TableEntity>("p", "missing", cancellationToken: Token);
            await foreach (var _ in table.QueryAsync<TableEntity>("PartitionKey eq 'p'", cancellationToken: Token))
            {
            }

            Assert.Equal(2, inner.Total);
            Assert.Equal(1, inner.Count(StorageOperationKind.PointRead));
            Assert.Equal(1, inner.Count(StorageOperationKind.Query));
        }

        Assert.Equal(3, outer.Total);
        Assert.Equal(1, outer.Count(StorageOperationKind.TableWrite));
        Assert.Contains("storage;desc=\"3\"", outer.ServerTiming(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryResponseSaysHowManyRoundTripsItMade()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync("/healthz", Token);

        Assert.Matches(@"^storage;desc=""[1-9]\d*""", response.Headers.GetValues("Server-Timing").Single());
    }
}
