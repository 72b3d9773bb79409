using Azure.Core;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Tests.Storage;

/// <summary>A query that stays in one partition is a query; anything that may read every partition is a scan.</summary>
public sealed class TableQueryFilterTests
{
    [Theory]
    [InlineData("PartitionKey eq 'p'")]
    [InlineData("(PartitionKey eq 'p')")]
    [InlineData("PartitionKey eq 'p' and RowKey ge 'a' and RowKey lt 'b'")]
    [InlineData("(PartitionKey eq 'p') and (RowKey ge 'a')")]
    [InlineData("'p' eq PartitionKey")]
    [InlineData("PartitionKey eq 'p' and (Status eq 'a' or Status eq 'b')")]
    [InlineData("(Status eq 'a' or Status eq 'b') and ((PartitionKey eq 'p') and RowKey gt 'x')")]
    [InlineData("PartitionKey eq 'it''s or RowKey eq' and RowKey eq 'r'")]
    public void AFilterThatPinsOnePartitionIsBounded(string filter) => Assert.True(TableQueryFilter.PinsOnePartition(filter), filter);

    [Theory]
    [InlineData("")]
    [InlineData("RowKey eq 'r'")]
    [InlineData("Status eq 'open'")]
    [InlineData("PartitionKey ge 'a' and PartitionKey lt 'b'")]
    [InlineData("PartitionKey eq 'a' or PartitionKey eq 'b'")]
    [InlineData("PartitionKey eq 'a' and RowKey eq 'x' or PartitionKey eq 'b' and RowKey eq 'y'")]
    [InlineData("PartitionKey ne 'p'")]
    [InlineData("Name eq 'PartitionKey eq x'")]
    [InlineData("(PartitionKey eq 'a' or Status eq 'b')")]
    public void AnyOtherFilterIsAScan(string filter) => Assert.False(TableQueryFilter.PinsOnePartition(filter), filter);

    [Fact]
    public void TheFilterIsReadFromTheEncodedQueryString() =>
        Assert.Equal("PartitionKey eq 'a b'", TableQueryFilter.FromQueryString("?%24select=RowKey&%24filter=PartitionKey%20eq%20%27a%20b%27&%24top=5"));

    [Theory]
    [InlineData("/devstoreaccount1/vendors()", "?$filter=PartitionKey%20eq%20%27v%27", StorageOperationKind.Query)]
    [InlineData("/vendors()", "?$filter=Tier%20eq%20%27high%27", StorageOperationKind.Scan)]
    [InlineData("/devstoreaccount1/vendors()", "", StorageOperationKind.Scan)]
    [InlineData("/devstoreaccount1/vendors(PartitionKey='v',RowKey='r')", "", StorageOperationKind.PointRead)]
    [InlineData("/devstoreaccount1/Tables", "?$filter=TableName%20eq%20%27x%27", StorageOperationKind.Query)]
    public void TableReadsAreClassifiedByTheirFilter(string path, string query, StorageOperationKind expected) =>
        Assert.Equal(expected, StorageOperationCounter.Classify(StorageService.Table, RequestMethod.Get, path, query));
}
