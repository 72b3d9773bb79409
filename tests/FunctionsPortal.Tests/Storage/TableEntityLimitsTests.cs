using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Tests.Storage;

public sealed class TableEntityLimitsTests
{
    [Fact]
    public void SizeFollowsAzuresEntitySizeFormula()
    {
        var entity = new TableEntity("pk", "rk") { ["Name"] = "abc", ["Count"] = 7, ["Flag"] = true, ["At"] = DateTimeOffset.UnixEpoch };

        var size = TableEntityLimits.Validate(entity);

        // 4 + (2+2)*2 keys; per property 8 + name*2 + value: "abc" 3*2+4, int 4, bool 1, DateTimeOffset 8.
        var expected = 4 + 8 + (8 + 8 + 10) + (8 + 10 + 4) + (8 + 8 + 1) + (8 + 4 + 8);
        Assert.Equal(expected, size);
    }

    [Fact]
    public void MoreThan252PropertiesIsRefused()
    {
        var entity = new TableEntity("pk", "rk");
        for (var i = 0; i < 253; i++)
        {
            entity[$"P{i}"] = i;
        }

        var error = Assert.Throws<StorageLimitException>(() => TableEntityLimits.Validate(entity));
        Assert.Contains("253 properties", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntityOverOneMebibyteIsRefusedEvenWhenEveryPropertyFits()
    {
        var entity = new TableEntity("pk", "rk");
        for (var i = 0; i < 20; i++)
        {
            entity[$"Blob{i}"] = new byte[60 * 1024];
        }

        var error = Assert.Throws<StorageLimitException>(() => TableEntityLimits.Validate(entity));
        Assert.Contains("allows 1,048,576", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringLongerThan32KCharactersIsRefused()
    {
        var entity = new TableEntity("pk", "rk") { ["Notes"] = new string('あ', TableEntityLimits.MaxStringPropertyChars + 1) };

        var error = Assert.Throws<StorageLimitException>(() => TableEntityLimits.Validate(entity));
        Assert.Contains("'Notes'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryLargerThan64KiBIsRefused()
    {
        var entity = new TableEntity("pk", "rk") { ["Data"] = new byte[TableEntityLimits.MaxBinaryPropertyBytes + 1] };

        Assert.Throws<StorageLimitException>(() => TableEntityLimits.Validate(entity));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\u0001b")]
    public void KeysWithCharactersAzureForbidsAreRefused(string rowKey)
    {
        var entity = new TableEntity("pk", rowKey);

        var error = Assert.Throws<StorageLimitException>(() => TableEntityLimits.Validate(entity));
        Assert.Contains("RowKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyLongerThan1024CharactersIsRefused()
    {
        Assert.Throws<StorageLimitException>(() => TableEntityLimits.ValidateKey("PartitionKey", new string('k', 1025)));
    }

    [Fact]
    public void TypedEntitiesAreMeasuredByTheirPublicProperties()
    {
        var entity = new SampleEntity { PartitionKey = "p", RowKey = "r", Text = new string('x', TableEntityLimits.MaxStringPropertyChars + 1) };

        var error = Assert.Throws<StorageLimitException>(() => TableEntityLimits.Validate(entity));
        Assert.Contains("'Text'", error.Message, StringComparison.Ordinal);
    }

    private sealed class SampleEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = "";

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public Azure.ETag ETag { get; set; }

        public string Text { get; set; } = "";
    }
}
