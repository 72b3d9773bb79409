using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// Counts the round trips the app makes to each table — point reads, queries, single writes, and transactions with the
/// entities they write — to state a change's storage cost in numbers. Give the app <see cref="Client"/> as its
/// <see cref="TableServiceClient"/>.
/// </summary>
public sealed partial class TableRequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<TableRequest> _requests = new();

    public TableServiceClient Client(string connectionString)
    {
        var options = new TableClientOptions();
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return new TableServiceClient(connectionString, options);
    }

    /// <summary>The requests to the table whose physical name ends with <paramref name="table"/> (the logical name, hyphens dropped).</summary>
    public IReadOnlyList<TableRequest> To(string table)
    {
        var name = table.Replace("-", "", StringComparison.Ordinal);
        return [.. _requests.Where(request => request.Table.EndsWith(name, StringComparison.Ordinal))];
    }

    public void Reset() => _requests.Clear();

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = message.Request;
        var target = Uri.UnescapeDataString(request.Uri.Path);
        target = target[(target.LastIndexOf('/') + 1)..];
        if (target == "$batch")
        {
            using var body = new MemoryStream();
            request.Content!.WriteTo(body, CancellationToken.None);
            var operations = BatchOperation().Matches(Encoding.UTF8.GetString(body.ToArray()));
            _requests.Enqueue(new TableRequest(operations[0].Groups["table"].Value, "transaction", operations.Count));
            return;
        }

        var table = target.Split('(')[0];
        var kind = request.Method.Method switch
        {
            "GET" when target.Contains("RowKey=", StringComparison.Ordinal) => "point read",
            "GET" => "query",
            "POST" => "insert",
            "DELETE" => "delete",
            _ => "update",
        };
        _requests.Enqueue(new TableRequest(table, kind, kind is "insert" or "update" or "delete" ? 1 : 0));
    }

    /// <summary>An operation line inside a transaction's multipart body: "POST http://host/account/table?$format=… HTTP/1.1".</summary>
    [GeneratedRegex(@"^(?:POST|PUT|PATCH|MERGE|DELETE) \S+/(?<table>[A-Za-z0-9]+)(?:\([^)]*\))?(?:\?\S*)? HTTP/1\.1", RegexOptions.Multiline)]
    private static partial Regex BatchOperation();
}

/// <summary>One round trip: its table, what it was (point read, query, insert, update, delete, transaction) and the entities it wrote.</summary>
public sealed record TableRequest(string Table, string Kind, int EntitiesWritten);
