using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Storage;

/// <summary>
/// The app's one way to reach a table, container or queue: it applies the resource prefix, so no capability
/// spells a physical name itself.
/// </summary>
public sealed class PortalStorage
{
    private readonly Lazy<StorageClients> _clients;
    private readonly string _prefix;

    public PortalStorage(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues, IOptions<StorageOptions> options)
        : this(new Lazy<StorageClients>(new StorageClients(tables, blobs, queues)), options)
    {
    }

    /// <summary>
    /// The SDK clients are built when storage is first used, not with every service that holds this one: the hosted
    /// services are constructed before the app listens, and a cold start answers its first request without storage
    /// (decision 025).
    /// </summary>
    internal PortalStorage(Lazy<StorageClients> clients, IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _prefix = options.Value.ResourcePrefix;
    }

    public TableServiceClient Tables => _clients.Value.Tables;

    public BlobServiceClient Blobs => _clients.Value.Blobs;

    public QueueServiceClient Queues => _clients.Value.Queues;

    public string ResourcePrefix => _prefix;

    public TableClient GetTable(string logicalName) => Tables.GetTableClient(TableName(logicalName));

    public BlobContainerClient GetContainer(string logicalName) => Blobs.GetBlobContainerClient(QueueOrContainerName(logicalName));

    public QueueClient GetQueue(string logicalName) => Queues.GetQueueClient(QueueOrContainerName(logicalName));

    /// <summary>Table names allow letters and digits only.</summary>
    public string TableName(string logicalName) => _prefix + logicalName.Replace("-", "", StringComparison.Ordinal);

    public string QueueOrContainerName(string logicalName) => _prefix.Length == 0 ? logicalName : $"{_prefix}-{logicalName}";
}

/// <summary>The three SDK clients of the one storage account.</summary>
internal sealed record StorageClients(TableServiceClient Tables, BlobServiceClient Blobs, QueueServiceClient Queues);
