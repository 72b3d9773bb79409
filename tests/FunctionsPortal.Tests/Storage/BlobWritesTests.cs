using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Storage;

public sealed class BlobWritesTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ASecondWriteOfTheSameNameIsRefusedAndTheFirstContentStays()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var container = azurite.CreateStorage().GetContainer("sealed");
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var blob = container.GetBlobClient("submission.json");

        var first = await blob.TryUploadNewAsync(BinaryData.FromString("{\"v\":1}"), "application/json", cancellationToken);
        var second = await blob.TryUploadNewAsync(BinaryData.FromString("{\"v\":2}"), "application/json", cancellationToken);

        Assert.True(first);
        Assert.False(second);
        var content = await blob.DownloadContentAsync(cancellationToken);
        Assert.Equal("{\"v\":1}", content.Value.Content.ToString());
        Assert.Equal("application/json", content.Value.Details.ContentType);
    }
}
