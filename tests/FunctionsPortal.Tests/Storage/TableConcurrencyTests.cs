using Azure.Data.Tables;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Storage;

public sealed class TableConcurrencyTests(AzuriteFixture azurite)
{
    private async Task<TableClient> NewTableAsync(CancellationToken cancellationToken)
    {
        var table = azurite.CreateStorage().GetTable("concurrency");
        await table.CreateIfNotExistsAsync(cancellationToken);
        return table;
    }

    [Fact]
    public async Task TryAddReturnsFalseAndKeepsTheFirstRowWhenTheKeyExists()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var table = await NewTableAsync(cancellationToken);

        var first = await table.TryAddAsync(new TableEntity("p", "r") { ["Who"] = "first" }, cancellationToken);
        var second = await table.TryAddAsync(new TableEntity("p", "r") { ["Who"] = "second" }, cancellationToken);

        Assert.True(first);
        Assert.False(second);
        var stored = await table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: cancellationToken);
        Assert.Equal("first", stored.Value.GetString("Who"));
    }

    [Fact]
    public async Task ReplaceWithAStaleETagIsAConflictAndChangesNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var table = await NewTableAsync(cancellationToken);
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Value"] = 1 }, cancellationToken);
        var mine = (await table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: cancellationToken)).Value;
        var theirs = (await table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: cancellationToken)).Value;

        theirs["Value"] = 2;
        await table.ReplaceIfUnchangedAsync(theirs, cancellationToken);
        mine["Value"] = 3;

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => table.ReplaceIfUnchangedAsync(mine, cancellationToken));
        var stored = await table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: cancellationToken);
        Assert.Equal(2, stored.Value.GetInt32("Value"));
    }

    [Fact]
    public async Task ReplaceWithoutAnETagIsRefused()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var table = await NewTableAsync(cancellationToken);

        await Assert.ThrowsAsync<ArgumentException>(() => table.ReplaceIfUnchangedAsync(new TableEntity("p", "r"), cancellationToken));
    }

    [Fact]
    public async Task ConcurrentReadModifyWritesAllSurvive()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var table = await NewTableAsync(cancellationToken);
        await table.AddEntityAsync(new TableEntity("p", "counter") { ["Count"] = 0 }, cancellationToken);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => table.UpdateWithRetryAsync<TableEntity>("p", "counter", entity =>
        {
            entity["Count"] = entity.GetInt32("Count")!.Value + 1;
            return true;
        }, cancellationToken, maxAttempts: 50)));

        var stored = await table.GetEntityAsync<TableEntity>("p", "counter", cancellationToken: cancellationToken);
        Assert.Equal(8, stored.Value.GetInt32("Count"));
    }

    [Fact]
    public async Task UpdateOfAMissingEntityReturnsNull()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var table = await NewTableAsync(cancellationToken);

        var result = await table.UpdateWithRetryAsync<TableEntity>("p", "absent", _ => true, cancellationToken);

        Assert.Null(result);
    }

    [Fact]
    public async Task TryAddRefusesAnEntityAzureWouldRejectBeforeCallingStorage()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var table = await NewTableAsync(cancellationToken);
        var entity = new TableEntity("p", "big");
        for (var i = 0; i < 20; i++)
        {
            entity[$"B{i}"] = new byte[60 * 1024];
        }

        await Assert.ThrowsAsync<StorageLimitException>(() => table.TryAddAsync(entity, cancellationToken));
        var stored = await table.GetEntityIfExistsAsync<TableEntity>("p", "big", cancellationToken: cancellationToken);
        Assert.False(stored.HasValue);
    }
}
