using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FunctionsPortal.Evidence;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Evidence;

public sealed class EvidenceStoreTests(AzuriteFixture azurite)
{
    private const string AssignmentKey = "2025-04~v0123456789abcdef~annual-full";
    private static readonly DateTimeOffset Now = new(2025, 6, 2, 1, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task AFileIsStoredUnderAServerChosenNameWithItsHashTypeAndOriginalName()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, container) = await CreateAsync();
        var bytes = EvidenceSamples.PdfOfLength(50_000);

        var upload = await store.StoreAsync(AssignmentKey, "GOV-01", @"C:\Users\山田\情報セキュリティ基本方針（2025年度）.pdf", new UploadStream(bytes), 0, cancellationToken);

        Assert.True(upload.Stored, upload.Refusal?.MessageEn);
        var file = upload.File;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
        Assert.Equal(bytes.Length, file.Size);
        Assert.Equal("application/pdf", file.ContentType);
        Assert.Equal("情報セキュリティ基本方針（2025年度）.pdf", file.FileName);
        Assert.Equal("GOV-01", file.ItemId);
        Assert.Equal(Now, file.UploadedAt);
        Assert.Matches("^[0-9a-f]{32}$", file.Id);
        Assert.Equal($"{AssignmentKey}/GOV-01/{file.Id}", file.BlobName);
        Assert.DoesNotContain("情報", file.BlobName, StringComparison.Ordinal);
        Assert.DoesNotContain(".pdf", file.BlobName, StringComparison.Ordinal);

        var blob = container.GetBlobClient(file.BlobName);
        var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        Assert.Equal("application/pdf", properties.ContentType);
        Assert.StartsWith("attachment;", properties.ContentDisposition, StringComparison.Ordinal);
        Assert.Equal(file.FileName, Uri.UnescapeDataString(properties.Metadata["filename"]));
        Assert.Equal(file.Sha256, properties.Metadata["sha256"]);
        Assert.Equal("GOV-01", properties.Metadata["itemid"]);
        Assert.Equal(bytes, (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToArray());
    }

    [Fact]
    public async Task TwoUploadsOfTheSameFileGetDifferentNames()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, _) = await CreateAsync();

        var first = await store.StoreAsync(AssignmentKey, "GOV-01", "a.png", new MemoryStream(EvidenceSamples.Png), 0, cancellationToken);
        var second = await store.StoreAsync(AssignmentKey, "GOV-01", "a.png", new MemoryStream(EvidenceSamples.Png), 0, cancellationToken);

        Assert.NotEqual(first.File!.BlobName, second.File!.BlobName);
        Assert.Equal(first.File.Sha256, second.File.Sha256);
    }

    [Fact]
    public async Task AFileLargerThanOneBlockIsStagedAndHashedCorrectly()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, _) = await CreateAsync(blockBytes: 16 * 1024);
        var bytes = EvidenceSamples.PdfOfLength(100_000);

        var upload = await store.StoreAsync(AssignmentKey, "GOV-02", "audit.pdf", new UploadStream(bytes), 0, cancellationToken);

        Assert.True(upload.Stored, upload.Refusal?.MessageEn);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), upload.File.Sha256);
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(bytes)), (long)bytes.Length), await store.HashAsync(upload.File.BlobName, cancellationToken));
        await using var stored = await store.OpenReadAsync(upload.File.BlobName, cancellationToken);
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy, cancellationToken);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Theory]
    [InlineData(16 * 1024)]
    [InlineData(4 * 1024 * 1024)]
    public async Task AFileOverTheFileLimitIsRefusedReadingNoFurtherAndLeavingNothing(int blockBytes)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, container) = await CreateAsync(maxFileBytes: 40_000, maxAssignmentBytes: 1_000_000, blockBytes: blockBytes);
        var body = new UploadStream(EvidenceSamples.PdfOfLength(100_000));

        var upload = await store.StoreAsync(AssignmentKey, "GOV-03", "big.pdf", body, 0, cancellationToken);

        Assert.False(upload.Stored);
        Assert.Equal(EvidenceRefusalReasons.TooLargeFile, upload.Refusal.Reason);
        Assert.Contains("39.1 KB", upload.Refusal.MessageEn, StringComparison.Ordinal);
        Assert.Equal(40_001, body.BytesRead);
        Assert.Empty(await AllBlobsAsync(container, cancellationToken));
    }

    [Fact]
    public async Task AFileOfKnownLengthOverTheLimitIsRefusedWithoutBeingRead()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, container) = await CreateAsync(maxFileBytes: 40_000, maxAssignmentBytes: 1_000_000);
        using var body = new MemoryStream(EvidenceSamples.PdfOfLength(40_001));

        var upload = await store.StoreAsync(AssignmentKey, "GOV-03", "big.pdf", body, 0, cancellationToken);

        Assert.Equal(EvidenceRefusalReasons.TooLargeFile, upload.Refusal?.Reason);
        Assert.Equal(0, body.Position);
        Assert.Empty(await AllBlobsAsync(container, cancellationToken));
    }

    [Fact]
    public async Task AFileThatWouldTakeTheAssignmentOverItsTotalIsRefused()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, container) = await CreateAsync(maxFileBytes: 100_000, maxAssignmentBytes: 150_000, blockBytes: 16 * 1024);
        var bytes = EvidenceSamples.PdfOfLength(60_000);

        var over = await store.StoreAsync(AssignmentKey, "GOV-04", "more.pdf", new UploadStream(bytes), 100_000, cancellationToken);
        Assert.Equal(EvidenceRefusalReasons.TooLargeTotal, over.Refusal?.Reason);
        Assert.Empty(await AllBlobsAsync(container, cancellationToken));

        var full = await store.StoreAsync(AssignmentKey, "GOV-04", "tiny.pdf", new UploadStream(EvidenceSamples.Pdf), 150_000, cancellationToken);
        Assert.Equal(EvidenceRefusalReasons.TooLargeTotal, full.Refusal?.Reason);

        var fits = await store.StoreAsync(AssignmentKey, "GOV-04", "more.pdf", new UploadStream(bytes), 90_000, cancellationToken);
        Assert.True(fits.Stored, fits.Refusal?.MessageEn);
        Assert.Single(await AllBlobsAsync(container, cancellationToken));
    }

    [Theory]
    [InlineData("exe", "report.pdf", EvidenceRefusalReasons.Unsupported)]
    [InlineData("png", "report.pdf", EvidenceRefusalReasons.Mismatch)]
    [InlineData("html", "notes.txt", EvidenceRefusalReasons.Unsupported)]
    [InlineData("empty", "empty.pdf", EvidenceRefusalReasons.Empty)]
    public async Task WhatTheSnifferRefusesIsNotStored(string sample, string fileName, string reason)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, container) = await CreateAsync();
        byte[] bytes = sample switch
        {
            "exe" => EvidenceSamples.Exe,
            "png" => EvidenceSamples.Png,
            "html" => "<!doctype html><script>alert(1)</script>"u8.ToArray(),
            _ => [],
        };

        var upload = await store.StoreAsync(AssignmentKey, "GOV-05", fileName, new UploadStream(bytes), 0, cancellationToken);

        Assert.Equal(reason, upload.Refusal?.Reason);
        Assert.NotEmpty(upload.Refusal!.MessageJa);
        Assert.Empty(await AllBlobsAsync(container, cancellationToken));
    }

    [Fact]
    public async Task AnExecutableIsRefusedFromItsHeadWithoutReadingTheRest()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, _) = await CreateAsync();
        var body = new UploadStream([.. EvidenceSamples.Exe, .. new byte[1_000_000]]);

        var upload = await store.StoreAsync(AssignmentKey, "GOV-05", "tool.pdf", body, 0, cancellationToken);

        Assert.Equal(EvidenceRefusalReasons.Unsupported, upload.Refusal?.Reason);
        Assert.Equal(FileTypeSniffer.HeadBytes, body.BytesRead);
    }

    [Fact]
    public async Task OfficeFilesAreStoredWithTheTypeTheirZipDirectorySays()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, container) = await CreateAsync(blockBytes: 16 * 1024);
        const string workbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
        // Larger than a block, and the first 8 KiB do not show it is a workbook.
        var xlsx = EvidenceSamples.Ooxml("xl/workbook.xml", workbook, leadingBytes: 40 * 1024);

        var small = await store.StoreAsync(AssignmentKey, "GOV-06", "policy.docx", new UploadStream(EvidenceSamples.Docx()), 0, cancellationToken);
        var large = await store.StoreAsync(AssignmentKey, "GOV-06", "inventory.xlsx", new UploadStream(xlsx), 0, cancellationToken);
        var unnamed = await store.StoreAsync(AssignmentKey, "GOV-06", "inventory", new UploadStream(xlsx), 0, cancellationToken);
        var misnamed = await store.StoreAsync(AssignmentKey, "GOV-06", "policy.docx", new UploadStream(xlsx), 0, cancellationToken);

        Assert.Equal(FileTypeSniffer.Docx.ContentType, small.File?.ContentType);
        Assert.Equal(FileTypeSniffer.Xlsx.ContentType, large.File?.ContentType);
        Assert.Equal(FileTypeSniffer.Xlsx.ContentType, unnamed.File?.ContentType);
        Assert.Equal(FileTypeSniffer.Xlsx.ContentType, (await container.GetBlobClient(unnamed.File!.BlobName).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentType);
        Assert.Equal(EvidenceRefusalReasons.Mismatch, misnamed.Refusal?.Reason);
        Assert.Equal(3, (await AllBlobsAsync(container, cancellationToken)).Count);
    }

    [Theory]
    [InlineData("seekable", 4 * 1024 * 1024)]
    [InlineData("seekable", 16 * 1024)]
    [InlineData("forward-only", 4 * 1024 * 1024)]
    [InlineData("forward-only", 16 * 1024)]
    public async Task AnOfficeFileWithMacrosIsJudgedWholeAndNothingIsWritten(string body, int blockBytes)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, container) = await CreateAsync(blockBytes: blockBytes);
        // The VBA storage comes last, past the head and (with 16 KiB blocks) past the first block.
        var doc = OfficeSamples.Doc(wordDocumentBytes: 60_000);
        doc.AddStream("_VBA_PROJECT", new byte[7], doc.AddStorage("VBA", doc.AddStorage("Macros")));
        var bytes = doc.ToArray();
        Stream content = body == "seekable" ? new MemoryStream(bytes) : new UploadStream(bytes);

        var upload = await store.StoreAsync(AssignmentKey, "GOV-10", "policy.doc", content, 0, cancellationToken);

        Assert.Equal(EvidenceRefusalReasons.Unsupported, upload.Refusal?.Reason);
        Assert.Contains("macros", upload.Refusal!.MessageEn, StringComparison.Ordinal);
        Assert.Empty(await AllBlobsAsync(container, cancellationToken));
    }

    [Theory]
    [InlineData("seekable")]
    [InlineData("forward-only")]
    public async Task ALargeCleanLegacyFileIsStoredWholeWithTheTypeItsContentSays(string body)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, _) = await CreateAsync(blockBytes: 16 * 1024);
        var bytes = OfficeSamples.Xls(workbookBytes: 70_000).ToArray();
        Stream content = body == "seekable" ? new MemoryStream(bytes) : new UploadStream(bytes);

        var upload = await store.StoreAsync(AssignmentKey, "GOV-11", "inventory", content, 0, cancellationToken);

        Assert.True(upload.Stored, upload.Refusal?.MessageEn);
        Assert.Equal(FileTypeSniffer.Xls.ContentType, upload.File.ContentType);
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(bytes)), (long)bytes.Length), await store.HashAsync(upload.File.BlobName, cancellationToken));
    }

    [Fact]
    public async Task AnEncryptedWorkbookIsRefusedAsEncrypted()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, container) = await CreateAsync();

        var upload = await store.StoreAsync(AssignmentKey, "GOV-12", "budget.xlsx", new UploadStream(OfficeSamples.EncryptedOoxml()), 0, cancellationToken);

        Assert.Equal(EvidenceRefusalReasons.Encrypted, upload.Refusal?.Reason);
        Assert.Empty(await AllBlobsAsync(container, cancellationToken));
    }

    [Fact]
    public async Task HashAsyncRecomputesFromStorage()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, container) = await CreateAsync();
        var upload = await store.StoreAsync(AssignmentKey, "GOV-07", "a.pdf", new UploadStream(EvidenceSamples.Pdf), 0, cancellationToken);

        Assert.Equal((upload.File!.Sha256, upload.File.Size), await store.HashAsync(upload.File.BlobName, cancellationToken));

        // Someone changes the bytes behind our back: the recomputed hash no longer matches the recorded one.
        await container.GetBlobClient(upload.File.BlobName).UploadAsync(BinaryData.FromString("%PDF-1.4 tampered"), overwrite: true, cancellationToken);
        var now = await store.HashAsync(upload.File.BlobName, cancellationToken);
        Assert.NotNull(now);
        Assert.NotEqual(upload.File.Sha256, now.Value.Sha256);
        Assert.Null(await store.HashAsync($"{AssignmentKey}/GOV-07/missing", cancellationToken));
    }

    [Fact]
    public async Task DeleteRemovesTheFileAndIsSafeToRepeat()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (store, container) = await CreateAsync();
        var upload = await store.StoreAsync(AssignmentKey, "GOV-08", "a.gif", new UploadStream(EvidenceSamples.Gif), 0, cancellationToken);

        await store.DeleteAsync(upload.File!.BlobName, cancellationToken);
        await store.DeleteAsync(upload.File.BlobName, cancellationToken);

        Assert.Empty(await AllBlobsAsync(container, cancellationToken));
        Assert.Null(await store.HashAsync(upload.File.BlobName, cancellationToken));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync(upload.File.BlobName, cancellationToken));
    }

    [Theory]
    [InlineData("../other", "GOV-01")]
    [InlineData("a/b", "GOV-01")]
    [InlineData(AssignmentKey, "GOV 01")]
    [InlineData(AssignmentKey, "..")]
    [InlineData(AssignmentKey, "項目")]
    public async Task KeysThatWouldChangeTheBlobPathAreProgrammingErrors(string assignmentKey, string itemId)
    {
        var (store, _) = await CreateAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.StoreAsync(assignmentKey, itemId, "a.pdf", new MemoryStream(EvidenceSamples.Pdf), 0, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TheAppRegistersTheStoreAndCreatesItsContainer()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Evidence:MaxFileBytes"] = "1000" });
        await app.Services.WhenStorageReadyAsync();
        var store = app.Services.GetRequiredService<EvidenceStore>();

        var stored = await store.StoreAsync(AssignmentKey, "GOV-09", "a.png", new MemoryStream(EvidenceSamples.Png), 0, cancellationToken);
        var refused = await store.StoreAsync(AssignmentKey, "GOV-09", "b.pdf", new MemoryStream(EvidenceSamples.PdfOfLength(1001)), 0, cancellationToken);

        Assert.True(stored.Stored, stored.Refusal?.MessageEn);
        Assert.Equal(EvidenceRefusalReasons.TooLargeFile, refused.Refusal?.Reason);
        var container = azurite.CreateStorage(app.Prefix).GetContainer(EvidenceStore.ContainerName);
        Assert.True(await container.GetBlobClient(stored.File.BlobName).ExistsAsync(cancellationToken));
    }

    [Fact]
    public void AFileLimitAboveTheAssignmentLimitStopsTheAppAtStart()
    {
        var failure = StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?>
        {
            ["Evidence:MaxFileBytes"] = "2000",
            ["Evidence:MaxAssignmentBytes"] = "1000",
        }));

        Assert.Contains("Evidence:MaxFileBytes cannot be larger than Evidence:MaxAssignmentBytes", failure, StringComparison.Ordinal);
    }

    private async Task<(EvidenceStore Store, BlobContainerClient Container)> CreateAsync(
        long maxFileBytes = 20L * 1024 * 1024,
        long maxAssignmentBytes = 200L * 1024 * 1024,
        int blockBytes = 4 * 1024 * 1024)
    {
        var storage = azurite.CreateStorage();
        var container = storage.GetContainer(EvidenceStore.ContainerName);
        await container.CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var options = Options.Create(new EvidenceOptions { MaxFileBytes = maxFileBytes, MaxAssignmentBytes = maxAssignmentBytes });
        var store = new EvidenceStore(storage, options, new FakeTimeProvider(Now), NullLogger<EvidenceStore>.Instance) { BlockBytes = blockBytes };
        return (store, container);
    }

    /// <summary>Every blob, uncommitted ones (staged blocks never committed) included.</summary>
    private static async Task<List<string>> AllBlobsAsync(BlobContainerClient container, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.Uncommitted, prefix: null, cancellationToken))
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
