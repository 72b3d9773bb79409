using System.Diagnostics.Metrics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsPortal.Storage;

/// <summary>The kinds of storage round trip the app makes, as counted per request and in the metric.</summary>
public enum StorageOperationKind
{
    PointRead,
    Query,
    TableWrite,
    BlobRead,
    BlobWrite,
    QueueOperation,

    /// <summary>A table query that is neither a point read nor confined to one partition: a scan, flagged.</summary>
    Scan,
}

/// <summary>Which storage service a client talks to: decides how its requests are classified.</summary>
public enum StorageService
{
    Table,
    Blob,
    Queue,
}

/// <summary>
/// An Azure SDK pipeline policy on every storage client: each attempt sent (retries included, they are round trips
/// too) is counted by kind in the metric <c>portal.storage.operations</c> and in the current
/// <see cref="StorageOperationScope"/>, which the request middleware opens — so a page's storage cost is a number
/// the tests can assert and the benchmark can print.
/// </summary>
public sealed class StorageOperationCounter(StorageService service) : HttpPipelineSynchronousPolicy
{
    public const string MetricName = "portal.storage.operations";

    /// <summary>The app's meter name (Hosting's PortalTelemetry.Name, spelled here: Storage sits below Hosting).</summary>
    private static readonly Meter Meter = new("FunctionsPortal");

    private static readonly Counter<long> Operations = Meter.CreateCounter<long>(MetricName, "{operation}", "Storage round trips by kind");

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var uri = message.Request.Uri;
        var kind = Classify(service, message.Request.Method, uri.Path, uri.Query);
        if (kind == StorageOperationKind.Scan)
        {
            // The table's name only (never the filter: it may hold keys that identify a vendor).
            Operations.Add(1, new("kind", Name(kind)), new("table", TableName(uri.Path)));
        }
        else
        {
            Operations.Add(1, new KeyValuePair<string, object?>("kind", Name(kind)));
        }

        StorageOperationScope.Current?.Add(kind);
    }

    /// <summary>
    /// The kind of one request. A table read that names both keys in the address is a point read; a query whose
    /// filter pins one partition (a top-level <c>PartitionKey eq '…'</c>, any row-key range beside it) is a query;
    /// any other query reads partitions it cannot name — a scan.
    /// </summary>
    public static StorageOperationKind Classify(StorageService service, RequestMethod method, string path, string query = "")
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(query);
        var reads = method == RequestMethod.Get || method == RequestMethod.Head;
        return service switch
        {
            // A point read names both keys in the address: /table(PartitionKey='…',RowKey='…').
            StorageService.Table when reads && path.Contains("RowKey=", StringComparison.Ordinal) => StorageOperationKind.PointRead,
            StorageService.Table when reads && IsTableQuery(path) =>
                TableQueryFilter.PinsOnePartition(TableQueryFilter.FromQueryString(query)) ? StorageOperationKind.Query : StorageOperationKind.Scan,
            StorageService.Table when reads => StorageOperationKind.Query,
            StorageService.Table => StorageOperationKind.TableWrite,
            StorageService.Blob => reads ? StorageOperationKind.BlobRead : StorageOperationKind.BlobWrite,
            _ => StorageOperationKind.QueueOperation,
        };
    }

    public static string Name(StorageOperationKind kind) => kind switch
    {
        StorageOperationKind.PointRead => "point-read",
        StorageOperationKind.Query => "query",
        StorageOperationKind.TableWrite => "table-write",
        StorageOperationKind.BlobRead => "blob-read",
        StorageOperationKind.BlobWrite => "blob-write",
        StorageOperationKind.Scan => "scan",
        _ => "queue",
    };

    // Entity queries address /table() (or /table); listing the account's tables (/Tables) is not a scan of data.
    private static bool IsTableQuery(string path) =>
        !path.TrimEnd('/').EndsWith("/Tables", StringComparison.OrdinalIgnoreCase) && !path.EndsWith("/Tables()", StringComparison.OrdinalIgnoreCase);

    private static string TableName(string path)
    {
        // Azurite puts the account first (/devstoreaccount1/table()); Azure does not: the last segment is the table.
        var trimmed = path.TrimEnd('/');
        var name = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        var end = name.IndexOf('(', StringComparison.Ordinal);
        return end < 0 ? name : name[..end];
    }
}

/// <summary>The storage round trips made within one request (or any other unit of work that opens a scope).</summary>
public sealed class StorageOperationScope : IDisposable
{
    private static readonly AsyncLocal<StorageOperationScope?> CurrentScope = new();

    private readonly StorageOperationScope? _outer;
    private readonly long[] _counts = new long[Enum.GetValues<StorageOperationKind>().Length];

    private StorageOperationScope(StorageOperationScope? outer) => _outer = outer;

    public static StorageOperationScope? Current => CurrentScope.Value;

    public long Total => _counts.Sum();

    /// <summary>Starts counting for the code that follows (and everything it awaits); dispose to stop.</summary>
    public static StorageOperationScope Begin()
    {
        var scope = new StorageOperationScope(CurrentScope.Value);
        CurrentScope.Value = scope;
        return scope;
    }

    public long Count(StorageOperationKind kind) => Interlocked.Read(ref _counts[(int)kind]);

    /// <summary>The counts as a Server-Timing header value: <c>storage;desc="…"</c> entries, one per kind used.</summary>
    public string ServerTiming() =>
        string.Join(", ", new[] { $"storage;desc=\"{Total}\"" }.Concat(Enum.GetValues<StorageOperationKind>()
            .Where(kind => Count(kind) > 0)
            .Select(kind => $"storage-{StorageOperationCounter.Name(kind)};desc=\"{Count(kind)}\"")));

    public void Dispose() => CurrentScope.Value = _outer;

    internal void Add(StorageOperationKind kind)
    {
        Interlocked.Increment(ref _counts[(int)kind]);
        _outer?.Add(kind);
    }
}
