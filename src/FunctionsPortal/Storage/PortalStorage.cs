using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Storage;

/// <summary>
/// The app's one way to reach a table, container or queue: it applies the resource prefix, so no capability
/// spells a physical name itself.
/// </summary>
public sealed class PortalStorage(
    TableServiceClient tables,
    BlobServiceClient blobs,
    QueueServiceClient queues,
    IOptions<StorageOptions> options)
{
    private readonly string _prefix = options.Value.ResourcePrefix;

    public TableServiceClient Tables => tables;

    public BlobServiceClient Blobs => blobs;

    public QueueServiceClient Queues => queues;

    public string ResourcePrefix => _prefix;

    public TableClient GetTable(string logicalName) => tables.GetTableClient(TableName(logicalName));

    public BlobContainerClient GetContainer(string logicalName) => blobs.GetBlobContainerClient(QueueOrContainerName(logicalName));

    public QueueClient GetQueue(string logicalName) => queues.GetQueueClient(QueueOrContainerName(logicalName));

    /// <summary>Table names allow letters and digits only.</summary>
    public string TableName(string logicalName) => _prefix + logicalName.Replace("-", "", StringComparison.Ordinal);

    public string QueueOrContainerName(string logicalName) => _prefix.Length == 0 ? logicalName : $"{_prefix}-{logicalName}";
}
