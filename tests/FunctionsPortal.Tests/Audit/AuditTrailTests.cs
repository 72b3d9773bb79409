using Azure;
using Azure.Data.Tables;
using FunctionsPortal.Audit;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsPortal.Tests.Audit;

/// <summary>The hash chains themselves: appends link, verification names the first record that does not hold, races keep the chain gapless.</summary>
public sealed class AuditTrailTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly TableRequestCounter _counter = new();
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private AuditTrail Trail => _app.Services.GetRequiredService<AuditTrail>();

    private TableClient Table => _app.Services.GetRequiredService<PortalStorage>().GetTable(AuditTrail.TableName);

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, configureServices: services =>
        {
            services.RemoveAll<TableServiceClient>();
            services.AddSingleton(_counter.Client(azurite.ConnectionString));
        });
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string NewChain() => "v" + Guid.NewGuid().ToString("N")[..10];

    private async Task<IReadOnlyList<AuditRecord>> AppendAsync(string chain, int count)
    {
        var records = new List<AuditRecord>();
        for (var i = 1; i <= count; i++)
        {
            records.Add(await Trail.AppendAsync(new AuditEntry(chain, AuditActions.VendorUpdated, "admin@our-company.example.jp", chain,
                new { approximateRecords = i * 100 }, new { approximateRecords = (i + 1) * 100 }), Token));
        }

        return records;
    }

    private async Task<TableEntity> RowAsync(string chain, long sequence) =>
        (await Table.GetEntityAsync<TableEntity>(chain, sequence.ToString("D12", System.Globalization.CultureInfo.InvariantCulture), cancellationToken: Token)).Value;

    [Fact]
    public async Task AppendedRecordsLinkByHashAndListNewestFirstInPages()
    {
        var chain = NewChain();
        var records = await AppendAsync(chain, 3);

        var first = await Trail.ListAsync(chain, 2, null, Token);
        var second = await Trail.ListAsync(chain, 2, first.Continuation, Token);
        var verification = await Trail.VerifyChainAsync(chain, null, Token);

        Assert.Equal([1L, 2L, 3L], records.Select(record => record.Sequence));
        Assert.Equal(AuditHash.Genesis, records[0].PreviousHash);
        Assert.Equal(records[0].Hash, records[1].PreviousHash);
        Assert.Equal(records[1].Hash, records[2].PreviousHash);
        Assert.Equal(AuditHash.Compute(chain, 2, AuditHash.TimeText(records[1].At), records[1].By, records[1].Action, records[1].Subject, records[1].Before, records[1].After, records[0].Hash), records[1].Hash);
        Assert.Equal("{\"approximateRecords\":200}", records[1].Before);
        Assert.Equal([3L, 2L], first.Records.Select(record => record.Sequence));
        Assert.Equal([1L], second.Records.Select(record => record.Sequence));
        Assert.Null(second.Continuation);
        Assert.True(verification.Intact, verification.Reason);
        Assert.Equal(3, verification.Records);
    }

    [Fact]
    public async Task AnAppendCostsTwoRoundTripsInItsOwnChainsPartitionOnly()
    {
        var (a, b) = (NewChain(), NewChain());
        await AppendAsync(a, 1);
        _counter.Reset();

        await AppendAsync(a, 1);
        var cost = _counter.To(AuditTrail.TableName).Select(request => (request.Kind, request.EntitiesWritten)).ToList();
        await AppendAsync(b, 2);
        await AppendAsync(a, 1);
        var rowsOfA = await Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == a, cancellationToken: Token).ToListAsync(Token);
        var rowsOfB = await Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == b, cancellationToken: Token).ToListAsync(Token);

        Assert.Equal([("point read", 0), ("transaction", 2)], cost); // the head, then the record and the head together
        Assert.Equal(["000000000001", "000000000002", "000000000003", "head"], rowsOfA.Select(row => row.RowKey));
        Assert.Equal(["000000000001", "000000000002", "head"], rowsOfB.Select(row => row.RowKey));
        Assert.Equal(3L, rowsOfA.Single(row => row.RowKey == "head").GetInt64("Sequence"));
        Assert.Equal(2L, rowsOfB.Single(row => row.RowKey == "head").GetInt64("Sequence"));
    }

    [Fact]
    public async Task ConcurrentAppendsToOneChainKeepItGapless()
    {
        var chain = NewChain();

        var appended = await Task.WhenAll(Enumerable.Range(1, 16).Select(i => Task.Run(() => Trail.AppendAsync(
            new AuditEntry(chain, AuditActions.LinkResent, $"staff{i}@our-company.example.jp", $"subject-{i}"), Token), Token)));
        var verification = await Trail.VerifyChainAsync(chain, null, Token);

        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), appended.Select(record => record.Sequence).Order());
        Assert.Equal(16, appended.Select(record => record.Subject).Distinct().Count());
        Assert.True(verification.Intact, verification.Reason);
        Assert.Equal((16L, 16L), (verification.Records, verification.HeadSequence));
    }

    [Fact]
    public async Task EditingAStoredFieldIsNamedAsTheFirstBrokenRecord()
    {
        var chain = NewChain();
        await AppendAsync(chain, 4);
        var second = await RowAsync(chain, 2);
        second["By"] = "someone-else@our-company.example.jp";
        await Table.UpdateEntityAsync(second, ETag.All, TableUpdateMode.Replace, Token);

        var verification = await Trail.VerifyChainAsync(chain, null, Token);
        var all = await _app.Services.GetRequiredService<AuditVerifier>().VerifyAllAsync(Token);

        Assert.Equal(2, verification.BrokenAt);
        Assert.Contains("changed after it was written", verification.Reason, StringComparison.Ordinal);
        Assert.False(all.Intact);
        Assert.Equal((chain, 2L), all.Broken.Select(broken => (broken.Chain, broken.BrokenAt!.Value)).Single(broken => broken.Chain == chain));
    }

    [Fact]
    public async Task AnEditedRecordWithItsHashRecomputedBreaksTheNextLink()
    {
        var chain = NewChain();
        await AppendAsync(chain, 4);
        var second = await RowAsync(chain, 2);
        second["After"] = "{\"approximateRecords\":5}";
        second["Hash"] = AuditHash.Compute(chain, 2, second.GetString("At"), second.GetString("By"), second.GetString("Action"), second.GetString("Subject"),
            second.GetString("Before"), second.GetString("After"), second.GetString("PreviousHash"));
        await Table.UpdateEntityAsync(second, ETag.All, TableUpdateMode.Replace, Token);

        var verification = await Trail.VerifyChainAsync(chain, null, Token);

        Assert.Equal(3, verification.BrokenAt);
        Assert.Contains("does not link to record 2", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeletedRecordIsNamedWhereverItWas()
    {
        var (middle, last) = (NewChain(), NewChain());
        await AppendAsync(middle, 4);
        await AppendAsync(last, 4);
        await Table.DeleteEntityAsync(middle, "000000000003", ETag.All, Token);
        await Table.DeleteEntityAsync(last, "000000000004", ETag.All, Token);

        var fromTheMiddle = await Trail.VerifyChainAsync(middle, null, Token);
        var fromTheEnd = await Trail.VerifyChainAsync(last, null, Token);

        Assert.Equal(3, fromTheMiddle.BrokenAt);
        Assert.Contains("Record 3 is missing", fromTheMiddle.Reason, StringComparison.Ordinal);
        Assert.Equal(4, fromTheEnd.BrokenAt);
        Assert.Contains("head names record 4", fromTheEnd.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDailyAnchorCatchesAChainRewrittenConsistentlyFromAPointOn()
    {
        var chain = NewChain();
        await AppendAsync(chain, 3);
        var anchors = _app.Services.GetRequiredService<AuditAnchors>();
        var anchor = await anchors.TakeAsync(Token);
        var again = await anchors.TakeAsync(Token);

        // Someone with the storage keys rewrites records 2 and 3 and the head, every hash recomputed: the chain alone still verifies.
        var previous = (await RowAsync(chain, 1)).GetString("Hash");
        for (var sequence = 2L; sequence <= 3; sequence++)
        {
            var row = await RowAsync(chain, sequence);
            row["By"] = "forger@our-company.example.jp";
            row["PreviousHash"] = previous;
            row["Hash"] = previous = AuditHash.Compute(chain, sequence, row.GetString("At"), row.GetString("By"), row.GetString("Action"), row.GetString("Subject"),
                row.GetString("Before"), row.GetString("After"), previous);
            await Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace, Token);
        }

        var head = (await Table.GetEntityAsync<TableEntity>(chain, "head", cancellationToken: Token)).Value;
        head["Hash"] = previous;
        await Table.UpdateEntityAsync(head, ETag.All, TableUpdateMode.Replace, Token);

        var withoutAnchor = await Trail.VerifyChainAsync(chain, null, Token);
        var againstAnchor = await _app.Services.GetRequiredService<AuditVerifier>().VerifyChainAsync(chain, Token);

        Assert.True(anchor.Complete);
        Assert.Equal((anchor.Name, anchor.Hash), (again.Name, again.Hash));
        Assert.Equal(3L, anchor.Heads[chain].Sequence);
        Assert.Equal(AuditAnchors.HashOf(anchor.Heads), anchor.Hash);
        Assert.True(withoutAnchor.Intact);
        Assert.Equal(3, againstAnchor.BrokenAt);
        Assert.Contains("daily anchor", againstAnchor.Reason, StringComparison.Ordinal);
    }
}
