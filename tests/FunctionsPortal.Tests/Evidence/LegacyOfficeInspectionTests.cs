using System.Buffers.Binary;
using FunctionsPortal.Evidence;

namespace FunctionsPortal.Tests.Evidence;

/// <summary>Office 97-2003 files (OLE2 compound files) judged whole: type from the main stream; macros, embedded objects, encryption and damage refused.</summary>
public sealed class LegacyOfficeInspectionTests
{
    [Theory]
    [InlineData("doc", "policy.doc", "application/msword")]
    [InlineData("doc", "policy", "application/msword")]
    [InlineData("doc-large", "policy.doc", "application/msword")]
    [InlineData("doc-4k", "policy.doc", "application/msword")]
    [InlineData("xls", "inventory.xls", "application/vnd.ms-excel")]
    [InlineData("xls-difat", "inventory.xls", "application/vnd.ms-excel")]
    [InlineData("ppt", "training.ppt", "application/vnd.ms-powerpoint")]
    public async Task CleanFilesAreAcceptedWithTheTypeTheirMainStreamSays(string sample, string fileName, string contentType)
    {
        var bytes = sample switch
        {
            "doc" => OfficeSamples.Doc().ToArray(),
            "doc-large" => OfficeSamples.Doc(wordDocumentBytes: 20_000).ToArray(),
            "doc-4k" => OfficeSamples.Doc(wordDocumentBytes: 9000, sectorBytes: 4096).ToArray(),
            "xls" => OfficeSamples.Xls().ToArray(),
            // 120 FAT sectors: 11 of them are listed in a DIFAT sector, not the header.
            "xls-difat" => OfficeSamples.Xls(minFatSectors: 120).ToArray(),
            _ => OfficeSamples.Ppt().ToArray(),
        };

        var result = await SniffAsync(bytes, fileName);

        Assert.True(result.Accepted, result.MessageEn);
        Assert.Equal(contentType, result.Type.ContentType);
    }

    [Theory]
    [InlineData("policy.xls", EvidenceRefusalReasons.Mismatch)]
    [InlineData("policy.pdf", EvidenceRefusalReasons.Mismatch)]
    [InlineData("policy.docx", EvidenceRefusalReasons.Mismatch)]
    [InlineData("setup.msi", EvidenceRefusalReasons.Unsupported)]
    public async Task TheExtensionMustAgreeWithTheContent(string fileName, string reason)
    {
        Assert.Equal(reason, (await SniffAsync(OfficeSamples.Doc().ToArray(), fileName)).Reason);
    }

    [Fact]
    public async Task ACompoundFileWithoutAnOfficeMainStreamIsUnsupported()
    {
        var installer = new CompoundFileWriter().AddStream("\u0005SummaryInformation", new byte[256]).AddStream("Binary.exe", OfficeSamples.RandomBytes(5000)).ToArray();

        Assert.Equal(EvidenceRefusalReasons.Unsupported, (await SniffAsync(installer, "setup.doc")).Reason);
    }

    [Fact]
    public async Task AWordDocumentWithAMacrosStorageIsRefused()
    {
        var doc = OfficeSamples.Doc();
        var macros = doc.AddStorage("Macros");
        var vba = doc.AddStorage("VBA", macros);
        doc.AddStream("dir", new byte[300], vba).AddStream("ThisDocument", new byte[900], vba).AddStream("PROJECT", "ID=\"{00000000}\""u8.ToArray(), macros);

        var result = await SniffAsync(doc.ToArray(), "policy.doc");

        Assert.Equal(EvidenceRefusalReasons.Unsupported, result.Reason);
        Assert.Contains("macros", result.MessageEn, StringComparison.Ordinal);
        Assert.Contains("マクロ", result.MessageJa, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkbookWithAVbaProjectIsRefused()
    {
        var xls = OfficeSamples.Xls();
        var project = xls.AddStorage("_VBA_PROJECT_CUR");
        var vba = xls.AddStorage("VBA", project);
        xls.AddStream("_VBA_PROJECT", new byte[7], vba);

        Assert.Contains("macros", (await SniffAsync(xls.ToArray(), "inventory.xls")).MessageEn, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("macro-sheet")]
    [InlineData("ppt-vba")]
    public async Task MacrosKeptInTheMainStreamAreRefused(string sample)
    {
        var (bytes, fileName) = sample == "macro-sheet"
            ? (OfficeSamples.Xls(sheetType: 1).ToArray(), "inventory.xls")
            : (OfficeSamples.Ppt((0x03FF, true)).ToArray(), "training.ppt");

        Assert.Contains("macros", (await SniffAsync(bytes, fileName)).MessageEn, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ole10native")]
    [InlineData("package-compobj")]
    [InlineData("excel-object")]
    [InlineData("ppt-object")]
    public async Task EmbeddedObjectsAreRefused(string sample)
    {
        byte[] bytes;
        var fileName = "policy.doc";
        switch (sample)
        {
            case "ole10native":
                var doc = OfficeSamples.Doc();
                var embedded = doc.AddStorage("_1234567890", doc.AddStorage("ObjectPool"));
                doc.AddStream("\u0001Ole10Native", [.. OfficeSamples.RandomBytes(4), .. EvidenceSamples.Exe], embedded);
                bytes = doc.ToArray();
                break;
            case "package-compobj":
                var packaged = OfficeSamples.Doc();
                var obj = packaged.AddStorage("_1234567891");
                packaged.AddStream("\u0001CompObj", OfficeSamples.CompObj("OLE Package", "Package"), obj);
                bytes = packaged.ToArray();
                break;
            case "excel-object":
                var xls = OfficeSamples.Xls();
                xls.AddStream("\u0001Ole", new byte[20], xls.AddStorage("MBD0012AB34"));
                (bytes, fileName) = (xls.ToArray(), "inventory.xls");
                break;
            default:
                (bytes, fileName) = (OfficeSamples.Ppt((0x1011, false)).ToArray(), "training.ppt");
                break;
        }

        var result = await SniffAsync(bytes, fileName);

        Assert.Equal(EvidenceRefusalReasons.Unsupported, result.Reason);
        Assert.Contains("embedded objects", result.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyObjectPoolIsNotAnEmbeddedObject()
    {
        Assert.True((await SniffAsync(OfficeSamples.Doc().ToArray(), "policy.doc")).Accepted);
    }

    [Theory]
    [InlineData("ooxml", "protected.xlsx")]
    [InlineData("ooxml", "protected.docx")]
    [InlineData("ooxml", "protected")]
    [InlineData("doc", "protected.doc")]
    [InlineData("xls", "protected.xls")]
    [InlineData("ppt", "protected.ppt")]
    public async Task EncryptedFilesAreRefusedAskingForThePasswordToBeRemoved(string sample, string fileName)
    {
        var bytes = sample switch
        {
            "ooxml" => OfficeSamples.EncryptedOoxml(),
            "doc" => OfficeSamples.Doc(encrypted: true).ToArray(),
            "xls" => OfficeSamples.Xls(encrypted: true).ToArray(),
            _ => OfficeSamples.Ppt((0x2F14, true)).ToArray(),
        };

        var result = await SniffAsync(bytes, fileName);

        Assert.Equal(EvidenceRefusalReasons.Encrypted, result.Reason);
        Assert.Contains("パスワード保護を解除してからアップロードしてください", result.MessageJa, StringComparison.Ordinal);
        Assert.Contains("Remove the password protection", result.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void FromTheHeadAloneAnOle2FileNamedAsOoxmlIsTakenForAnEncryptedOne()
    {
        Assert.Equal(EvidenceRefusalReasons.Encrypted, FileTypeSniffer.Sniff(OfficeSamples.EncryptedOoxml().AsSpan(0, FileTypeSniffer.HeadBytes), "protected.xlsx").Reason);
    }

    [Theory]
    [InlineData("fat-loop")]
    [InlineData("directory-outside")]
    [InlineData("fat-sector-outside")]
    [InlineData("truncated")]
    [InlineData("header-only")]
    [InlineData("directory-tree-loop")]
    [InlineData("stream-past-end")]
    [InlineData("bad-sector-size")]
    [InlineData("difat-missing")]
    public async Task MalformedCompoundFilesAreRefusedAsDamagedWithoutAnException(string damage)
    {
        var bytes = (damage == "difat-missing" ? OfficeSamples.Xls(minFatSectors: 120) : OfficeSamples.Doc(wordDocumentBytes: 20_000)).ToArray();
        var header = bytes.AsSpan(0, 512);
        var firstDirectory = BinaryPrimitives.ReadUInt32LittleEndian(header[0x30..]);
        var firstFat = BinaryPrimitives.ReadUInt32LittleEndian(header[0x4C..]);
        switch (damage)
        {
            case "fat-loop":
                // The directory's chain points back at itself.
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)(firstFat + 1) * 512 + (int)firstDirectory * 4), firstDirectory);
                break;
            case "directory-outside":
                BinaryPrimitives.WriteUInt32LittleEndian(header[0x30..], 0x00FFFFF0);
                break;
            case "fat-sector-outside":
                BinaryPrimitives.WriteUInt32LittleEndian(header[0x4C..], 0x7FFFFFF0);
                break;
            case "truncated":
                bytes = bytes[..(bytes.Length / 2)];
                break;
            case "header-only":
                bytes = bytes[..512];
                break;
            case "directory-tree-loop":
                // The root's first child names the root's child as its own right sibling.
                var directory = (int)(firstDirectory + 1) * 512;
                var child = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(directory + 0x4C));
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(directory + (int)child * 128 + 0x48), child);
                break;
            case "stream-past-end":
                var entries = (int)(firstDirectory + 1) * 512;
                var wordDocument = Enumerable.Range(0, 4).First(i => bytes.AsSpan(entries + i * 128, 24).SequenceEqual("W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0"u8));
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(entries + wordDocument * 128 + 0x78), 0x7FFFFFF0);
                break;
            case "bad-sector-size":
                BinaryPrimitives.WriteUInt16LittleEndian(header[0x1E..], 20);
                break;
            default:
                BinaryPrimitives.WriteUInt32LittleEndian(header[0x48..], 0);
                break;
        }

        var result = await SniffAsync(bytes, "policy.doc");

        Assert.False(result.Accepted);
        Assert.Equal(EvidenceRefusalReasons.Unsupported, result.Reason);
        Assert.Contains("damaged", result.MessageEn, StringComparison.Ordinal);
    }

    private static async Task<SniffResult> SniffAsync(byte[] bytes, string fileName)
    {
        using var stream = new MemoryStream(bytes);
        return await FileTypeSniffer.SniffAsync(stream, fileName, TestContext.Current.CancellationToken);
    }
}
