using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Audit;

/// <summary>
/// The append-only, hash-chained audit trail. Table <c>audit</c>: PartitionKey = chain (a vendor id, or
/// <see cref="PortalChain"/>), RowKey = the sequence zero-padded to 12 digits (sorts in order), plus one row
/// <c>head</c> per chain holding its last sequence and hash. One chain per vendor, so appends for different vendors
/// never touch the same partition; within a chain the head's ETag serializes them.
/// </summary>
public sealed partial class AuditTrail(PortalStorage storage, TimeProvider clock, ILogger<AuditTrail> logger)
{
    public const string TableName = "audit";

    /// <summary>Campaigns and other actions that belong to no single vendor.</summary>
    public const string PortalChain = "_portal";

    /// <summary>Before/after JSON longer than this is replaced by its length and SHA-256 (an entity holds 1 MiB; records stay small).</summary>
    public const int MaxChangeChars = 4000;

    public const int MaxPageSize = 200;

    internal const string HeadRowKey = "head";

    // Losing the race for the head is normal under load: N concurrent appends to one chain need up to N rounds.
    private const int MaxAttempts = 64;

    internal TableClient Table => storage.GetTable(TableName);

    internal static string RowKeyOf(long sequence) => sequence.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>
    /// Appends a record to the end of its chain: two storage round trips — read the head, then one entity-group
    /// transaction that adds the record and moves the head under its ETag. A lost race (409/412) reads the head again.
    /// </summary>
    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.By);
        TableEntityLimits.ValidateKey("chain", entry.Chain);
        var before = Capped(entry.Before);
        var after = Capped(entry.After);
        for (var attempt = 1; ; attempt++)
        {
            // Round trip 1: where the chain ends now.
            var head = await Table.GetEntityIfExistsAsync<TableEntity>(entry.Chain, HeadRowKey, cancellationToken: cancellationToken);
            var sequence = (head.HasValue ? head.Value!.GetInt64("Sequence") ?? 0 : 0) + 1;
            var previousHash = head.HasValue ? head.Value!.GetString("Hash") ?? AuditHash.Genesis : AuditHash.Genesis;
            var at = AuditHash.TimeText(clock.GetUtcNow());
            var hash = AuditHash.Compute(entry.Chain, sequence, at, entry.By, entry.Action, entry.Subject, before, after, previousHash);
            var record = new TableEntity(entry.Chain, RowKeyOf(sequence))
            {
                ["Sequence"] = sequence,
                ["At"] = at,
                ["By"] = entry.By,
                ["Action"] = entry.Action,
                ["Subject"] = entry.Subject,
                ["Before"] = before,
                ["After"] = after,
                ["PreviousHash"] = previousHash,
                ["Hash"] = hash,
            };
            var newHead = new TableEntity(entry.Chain, HeadRowKey) { ["Sequence"] = sequence, ["Hash"] = hash, ["At"] = at };
            TableTransactionAction[] actions =
            [
                new(TableTransactionActionType.Add, record),
                head.HasValue
                    ? new(TableTransactionActionType.UpdateReplace, newHead, head.Value!.ETag)
                    : new(TableTransactionActionType.Add, newHead),
            ];
            try
            {
                // Round trip 2: the record and the head move together or not at all.
                await Table.SubmitCheckedTransactionAsync(actions, cancellationToken);
                return ToRecord(record);
            }
            catch (RequestFailedException exception) when (exception.Status is 409 or 412 && attempt < MaxAttempts)
            {
                LogLostRace(entry.Chain, sequence, attempt);

                // Wall-clock jitter, not business time: a fake clock in tests must not freeze the retry.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + Math.Min(attempt, 20) * 2)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// One page of a chain, newest first: the head (one point read), then one range query over the page's row keys.
    /// <paramref name="continuation"/> is the <see cref="AuditPage.Continuation"/> of the previous page.
    /// </summary>
    public async Task<AuditPage> ListAsync(string chain, int pageSize, string? continuation, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(pageSize, 1, MaxPageSize);
        var head = await HeadAsync(chain, cancellationToken);
        var top = head?.Sequence ?? 0;
        if (continuation is not null)
        {
            top = long.TryParse(continuation, NumberStyles.None, CultureInfo.InvariantCulture, out var below) && below >= 0 && below <= top
                ? below
                : throw new FormatException("The continuation is not one this API issued.");
        }

        var bottom = Math.Max(0, top - size);
        var records = new List<AuditRecord>();
        if (top > 0)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {chain} and RowKey gt {RowKeyOf(bottom)} and RowKey le {RowKeyOf(top)}");
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                records.Add(ToRecord(row));
            }
        }

        records.Reverse();
        return new AuditPage(chain, head?.Sequence ?? 0, records, bottom > 0 ? bottom.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>The chain's last sequence and hash, or null before its first record.</summary>
    public async Task<(long Sequence, string Hash)?> HeadAsync(string chain, CancellationToken cancellationToken)
    {
        var head = await Table.GetEntityIfExistsAsync<TableEntity>(chain, HeadRowKey, cancellationToken: cancellationToken);
        return head.HasValue ? (head.Value!.GetInt64("Sequence") ?? 0, head.Value!.GetString("Hash") ?? "") : null;
    }

    /// <summary>Every chain's head. A scan of the table by design (only the head rows come back): for verification and the daily anchor, never a page.</summary>
    public async Task<IReadOnlyDictionary<string, (long Sequence, string Hash)>> HeadsAsync(CancellationToken cancellationToken)
    {
        var heads = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {HeadRowKey}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "Sequence", "Hash"], cancellationToken: cancellationToken))
        {
            heads[row.PartitionKey] = (row.GetInt64("Sequence") ?? 0, row.GetString("Hash") ?? "");
        }

        return heads;
    }

    /// <summary>
    /// Re-reads one chain from its first record (one partition query, a round trip per 1,000 records) and names the
    /// first record that does not hold: missing, out of place, changed after it was written, not linked to the one
    /// before, not what the head or the <paramref name="anchored"/> day's anchor says.
    /// </summary>
    public async Task<ChainVerification> VerifyChainAsync(string chain, (long Sequence, string Hash)? anchored, CancellationToken cancellationToken)
    {
        var head = await HeadAsync(chain, cancellationToken);
        var headSequence = head?.Sequence ?? 0;
        long expected = 1;
        var previousHash = AuditHash.Genesis;
        ChainVerification Broken(long sequence, string reason) => new(chain, expected - 1, headSequence, sequence, reason);

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {chain} and RowKey lt {HeadRowKey}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (!long.TryParse(row.RowKey, NumberStyles.None, CultureInfo.InvariantCulture, out var stored) || row.RowKey != RowKeyOf(stored))
            {
                return Broken(expected, $"A row '{row.RowKey}' that is no record sits where record {expected} should be.");
            }

            if (stored > expected)
            {
                return Broken(expected, $"Record {expected} is missing (the next stored record is {stored}).");
            }

            if (row.GetInt64("Sequence") != expected)
            {
                return Broken(expected, $"Record {expected} says it is number {row.GetInt64("Sequence")}.");
            }

            var record = ToRecord(row);
            if (record.PreviousHash != previousHash)
            {
                return Broken(expected, expected == 1
                    ? "The first record does not start the chain."
                    : $"Record {expected} does not link to record {expected - 1} (its previous hash differs from that record's hash).");
            }

            var recomputed = AuditHash.Compute(chain, expected, row.GetString("At") ?? "", record.By, record.Action, record.Subject, record.Before, record.After, record.PreviousHash);
            if (recomputed != record.Hash)
            {
                return Broken(expected, $"Record {expected} was changed after it was written (its content no longer matches its hash).");
            }

            if (anchored is { } anchor && anchor.Sequence == expected && anchor.Hash != record.Hash)
            {
                return Broken(expected, $"Record {expected} is not the one the daily anchor holds (the chain was rewritten at or before it).");
            }

            previousHash = record.Hash;
            expected++;
        }

        var last = expected - 1;
        if (anchored is { } kept && kept.Sequence > last)
        {
            return Broken(last + 1, $"The daily anchor holds record {kept.Sequence}, but the chain ends at {last}.");
        }

        if (head is null)
        {
            return last == 0 ? new ChainVerification(chain, 0, 0, null, null) : Broken(last, "The chain has lost its head row.");
        }

        if (headSequence > last)
        {
            return Broken(last + 1, $"Record {last + 1} is missing (the chain's head names record {headSequence}).");
        }

        if (headSequence < last || head.Value.Hash != previousHash)
        {
            return Broken(headSequence, $"The chain's head (record {headSequence}) does not match its last record ({last}).");
        }

        return new ChainVerification(chain, last, headSequence, null, null);
    }

    private static string? Capped(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var json = JsonSerializer.Serialize(value, AuditChanges.Json);
        return json.Length <= MaxChangeChars
            ? json
            : JsonSerializer.Serialize(new { truncated = true, length = json.Length, sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))) }, AuditChanges.Json);
    }

    private static AuditRecord ToRecord(TableEntity row) => new(
        row.PartitionKey,
        row.GetInt64("Sequence") ?? 0,
        DateTimeOffset.TryParse(row.GetString("At"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : default,
        row.GetString("By") ?? "",
        row.GetString("Action") ?? "",
        row.GetString("Subject"),
        row.GetString("Before"),
        row.GetString("After"),
        row.GetString("PreviousHash") ?? "",
        row.GetString("Hash") ?? "");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audit chain {Chain}: lost the race for record {Sequence} (attempt {Attempt}); reading the head again")]
    private partial void LogLostRace(string chain, long sequence, int attempt);
}
