using Azure.Data.Tables;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Storage;

public sealed class TableBatchTests(AzuriteFixture azurite)
{
    private static TableTransactionAction Add(string partitionKey, string rowKey) =>
        new(TableTransactionActionType.Add, new TableEntity(partitionKey, rowKey) { ["Value"] = rowKey });

    [Fact]
    public void MoreThan100OperationsAreRefusedBeforeSending()
    {
        var actions = Enumerable.Range(0, 101).Select(i => Add("p", $"r{i}")).ToList();

        var error = Assert.Throws<StorageLimitException>(() => TableBatch.Validate(actions));
        Assert.Contains("at most 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CrossPartitionTransactionIsRefused()
    {
        // Azurite would commit this; Azure rejects it.
        var error = Assert.Throws<StorageLimitException>(() => TableBatch.Validate([Add("p1", "a"), Add("p2", "b")]));
        Assert.Contains("one partition", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SameEntityTwiceIsRefused()
    {
        Assert.Throws<StorageLimitException>(() => TableBatch.Validate([Add("p", "a"), Add("p", "a")]));
    }

    [Fact]
    public void PayloadOverFourMebibytesIsRefused()
    {
        var big = Enumerable.Range(0, 80).Select(i =>
        {
            var entity = new TableEntity("p", $"r{i}");
            for (var j = 0; j < 3; j++)
            {
                entity[$"B{j}"] = new byte[20 * 1024];
            }

            return new TableTransactionAction(TableTransactionActionType.Add, entity);
        }).ToList();

        var error = Assert.Throws<StorageLimitException>(() => TableBatch.Validate(big));
        Assert.Contains("4,194,304", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkedActionsAreAllValidAndAllCommit()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var table = azurite.CreateStorage().GetTable("batch");
        await table.CreateIfNotExistsAsync(cancellationToken);
        var actions = Enumerable.Range(0, 150).Select(i => Add("alpha", $"a{i:D3}"))
            .Concat(Enumerable.Range(0, 70).Select(i => Add("beta", $"b{i:D3}")))
            .ToList();

        var chunks = TableBatch.Chunk(actions).ToList();
        foreach (var chunk in chunks)
        {
            await table.SubmitCheckedTransactionAsync(chunk, cancellationToken);
        }

        Assert.Equal([100, 50, 70], chunks.Select(chunk => chunk.Count));
        var stored = await table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).CountAsync(cancellationToken);
        Assert.Equal(220, stored);
    }

    [Fact]
    public async Task TransactionIsAtomicWhenOneOperationConflicts()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var table = azurite.CreateStorage().GetTable("atomic");
        await table.CreateIfNotExistsAsync(cancellationToken);
        await table.AddEntityAsync(new TableEntity("p", "existing"), cancellationToken);

        await Assert.ThrowsAsync<TableTransactionFailedException>(() =>
            table.SubmitCheckedTransactionAsync([Add("p", "new1"), Add("p", "existing"), Add("p", "new2")], cancellationToken));

        var rows = await table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).Select(row => row.RowKey).ToListAsync(cancellationToken);
        Assert.Equal(["existing"], rows);
    }
}
