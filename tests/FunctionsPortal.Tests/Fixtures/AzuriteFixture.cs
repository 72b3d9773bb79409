using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using FunctionsPortal.Storage;
using Microsoft.Extensions.Options;

[assembly: AssemblyFixture(typeof(FunctionsPortal.Tests.Fixtures.AzuriteFixture))]

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// One Azurite for the whole test run. Tests never share data: each uses its own resource prefix
/// (<see cref="NewPrefix"/>), so they can run in any order and in parallel.
/// </summary>
public class AzuriteFixture : IAsyncLifetime
{
    private readonly AzuriteProcess _azurite = new();

    public string ConnectionString => _azurite.ConnectionString;

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The app's storage facade over this Azurite, with a fresh prefix unless one is given.</summary>
    public PortalStorage CreateStorage(string? prefix = null)
    {
        var options = Options.Create(new StorageOptions { ConnectionString = ConnectionString, ResourcePrefix = prefix ?? NewPrefix() });
        return new PortalStorage(
            new TableServiceClient(ConnectionString),
            new BlobServiceClient(ConnectionString),
            new QueueServiceClient(ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }),
            options);
    }

    public async ValueTask InitializeAsync() => await _azurite.StartAsync(CancellationToken.None);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _azurite.DisposeAsync();
    }
}

/// <summary>
/// An Azurite of its own, for a test class that writes tens of thousands of rows (a 10,000-vendor registry). Azurite
/// answers on one thread: on the shared one such a class held every other test's storage calls back for tens of seconds,
/// and a test waiting for its app's storage to be created timed out (CI, 2026-12-03).
/// </summary>
public sealed class BulkAzuriteFixture : AzuriteFixture;

