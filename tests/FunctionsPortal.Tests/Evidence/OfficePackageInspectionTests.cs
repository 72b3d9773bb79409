using System.IO.Compression;
using FunctionsPortal.Evidence;
using static FunctionsPortal.Tests.Evidence.OfficeSamples;

namespace FunctionsPortal.Tests.Evidence;

/// <summary>OOXML judged by content types and relationships, not part names; decompression capped and counted.</summary>
public sealed class OfficePackageInspectionTests
{
    private const string Hyperlink = "hyperlink";

    [Theory]
    [InlineData("word/document.xml", DocumentType, "policy.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("xl/workbook.xml", WorkbookType, "inventory.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [InlineData("ppt/presentation.xml", PresentationType, "training.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")]
    [InlineData("xl/workbook.xml", DocumentType, "policy.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    public async Task TheMainPartsContentTypeDecidesTheType(string mainPart, string mainType, string fileName, string contentType)
    {
        var result = await SniffAsync(Package(mainPart, mainType), fileName);

        Assert.True(result.Accepted, result.MessageEn);
        Assert.Equal(contentType, result.Type.ContentType);
    }

    [Fact]
    public async Task AMismatchedExtensionIsStillRefused()
    {
        Assert.Equal(EvidenceRefusalReasons.Mismatch, (await SniffAsync(Package("xl/workbook.xml", WorkbookType), "policy.docx")).Reason);
    }

    [Fact]
    public async Task APackageWithoutAnOfficeMainPartIsUnsupported()
    {
        var noMain = Zip(("[Content_Types].xml", ContentTypes()), ("_rels/.rels", Rels()), ("word/document.xml", "<root/>"));
        var template = Package(mainType: "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml");

        Assert.Equal(EvidenceRefusalReasons.Unsupported, (await SniffAsync(noMain, "policy.docx")).Reason);
        Assert.Equal(EvidenceRefusalReasons.Unsupported, (await SniffAsync(template, "policy.docx")).Reason);
    }

    [Theory]
    [InlineData("macro-enabled-main")]
    [InlineData("vba-under-another-name")]
    [InlineData("vba-default")]
    [InlineData("vba-relationship")]
    [InlineData("macro-sheet")]
    public async Task MacrosAreRefusedWhereverTheyAreDeclared(string sample)
    {
        var bytes = sample switch
        {
            "macro-enabled-main" => Package(mainType: "application/vnd.ms-word.document.macroEnabled.main+xml"),
            "vba-under-another-name" => Package(
                declarations: ["""<Override PartName="/word/media/image1.png" ContentType="application/vnd.ms-office.vbaProject"/>"""],
                mainRelationships: [Rel("rId9", "image", "media/image1.png")],
                parts: ("word/media/image1.png", "not a picture")),
            "vba-default" => Package(declarations: ["""<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>"""]),
            "vba-relationship" => Package(mainRelationships: [Rel("rId9", "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "media/logo.png")], parts: ("word/media/logo.png", "x")),
            _ => Package("xl/workbook.xml", WorkbookType, declarations: ["""<Override PartName="/xl/macrosheets/sheet1.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>"""]),
        };

        var result = await SniffAsync(bytes, sample == "macro-sheet" ? "inventory.xlsx" : "policy.docx");

        Assert.Equal(EvidenceRefusalReasons.Unsupported, result.Reason);
        Assert.Contains("macros", result.MessageEn, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("content-type")]
    [InlineData("relationship")]
    public async Task ActiveXIsRefused(string sample)
    {
        var bytes = sample == "content-type"
            ? Package(declarations: ["""<Override PartName="/word/activeX/activeX1.xml" ContentType="application/vnd.ms-office.activeX+xml"/>"""])
            : Package(mainRelationships: [Rel("rId5", "control", "activeX/activeX1.xml")], parts: ("word/activeX/activeX1.xml", "<ax/>"));

        Assert.Contains("ActiveX", (await SniffAsync(bytes, "policy.docx")).MessageEn, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("attachedTemplate", "https://attacker.example/template.dotm")]
    [InlineData("attachedTemplate", "file://///attacker.example/share/t.dotm")]
    [InlineData("image", "http://tracker.example/pixel.png")]
    [InlineData("oleObject", "file:///C:/Windows/System32/calc.exe")]
    [InlineData("frame", "https://attacker.example/frame.html")]
    public async Task ExternalTargetsOtherThanHyperlinksAreRefused(string type, string target)
    {
        var bytes = Package(mainRelationships: [Rel("rId7", type, target, external: true)]);

        Assert.Contains("link to an outside template", (await SniffAsync(bytes, "policy.docx")).MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExternalHyperlinksAreAllowed()
    {
        var bytes = Package(mainRelationships: [Rel("rId7", Hyperlink, "https://www.ipa.go.jp/security/", external: true)]);

        Assert.True((await SniffAsync(bytes, "policy.docx")).Accepted);
    }

    [Theory]
    [InlineData("ole-relationship")]
    [InlineData("ole-content-type")]
    [InlineData("package-not-office")]
    [InlineData("package-macro-enabled")]
    [InlineData("package-in-package")]
    public async Task EmbeddedObjectsAreRefused(string sample)
    {
        const string Embedding = "embeddings/oleObject1.bin";
        var bytes = sample switch
        {
            "ole-relationship" => Package(mainRelationships: [Rel("rId8", "oleObject", Embedding)], parts: ("word/" + Embedding, "MZ")),
            "ole-content-type" => Package(declarations: ["""<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>"""]),
            "package-not-office" => Package(
                declarations: ["""<Default Extension="exe" ContentType="application/octet-stream"/>"""],
                mainRelationships: [Rel("rId8", "package", "embeddings/setup.exe")], parts: ("word/embeddings/setup.exe", "MZ")),
            "package-macro-enabled" => EmbeddingPackage(Package("xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml")),
            _ => EmbeddingPackage(EmbeddingPackage(Package("xl/workbook.xml", WorkbookType))),
        };

        var result = await SniffAsync(bytes, "policy.docx");

        Assert.Equal(EvidenceRefusalReasons.Unsupported, result.Reason);
        Assert.NotNull(result.MessageEn);
        Assert.True(result.MessageEn.Contains("embedded objects", StringComparison.Ordinal) || result.MessageEn.Contains("macros", StringComparison.Ordinal), result.MessageEn);
    }

    [Fact]
    public async Task AChartsEmbeddedWorkbookIsCheckedAndAllowed()
    {
        Assert.True((await SniffAsync(EmbeddingPackage(Package("xl/workbook.xml", WorkbookType)), "report.docx")).Accepted);
    }

    [Fact]
    public async Task AHighlyCompressedPartIsRefusedAsASuspectedZipBomb()
    {
        var bomb = WithEntry(Package(), "word/media/big.png", new byte[4 * 1024 * 1024]);

        Assert.Contains("unpacks to more than can be checked", (await SniffAsync(bomb, "policy.docx")).MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APackageUnpackingToMoreThanTheLimitIsRefused()
    {
        var bytes = WithEntry(Package(), "word/media/photo.png", RandomBytes(200_000), CompressionLevel.NoCompression);
        using var stream = new MemoryStream(bytes);

        var result = await FileTypeSniffer.SniffAsync(stream, "policy.docx", maxUnpackedBytes: 100_000, TestContext.Current.CancellationToken);

        Assert.Contains("unpacks to more than can be checked", result.MessageEn, StringComparison.Ordinal);
        Assert.True((await SniffAsync(bytes, "policy.docx")).Accepted);
    }

    [Fact]
    public async Task TooManyEntriesAreRefused()
    {
        var parts = Enumerable.Range(0, OfficePackageInspector.MaxEntries).Select(i => ($"word/media/{i}.png", "")).ToArray();

        Assert.Contains("too many parts", (await SniffAsync(Package(parts: parts), "policy.docx")).MessageEn, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../evil.xml")]
    [InlineData("word/../../evil.xml")]
    [InlineData("/word/evil.xml")]
    [InlineData("WORD/DOCUMENT.XML")]
    [InlineData("word/document.xml/inner.xml")]
    public async Task TraversingDuplicateOrNestedNamesAreRefusedAsDamaged(string name)
    {
        var bytes = Package(parts: (name, "<x/>"));

        Assert.Contains("damaged", (await SniffAsync(bytes, "policy.docx")).MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADtdInAnXmlPartIsRefusedAsDamaged()
    {
        var bytes = Zip(
            ("[Content_Types].xml", """<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">&b;</Types>"""),
            ("_rels/.rels", Rels(Rel("rId1", "officeDocument", "word/document.xml"))),
            ("word/document.xml", "<root/>"));

        Assert.Contains("damaged", (await SniffAsync(bytes, "policy.docx")).MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void RelationshipTargetsResolveAgainstTheirSourcePartsFolder()
    {
        Assert.Equal("word/embeddings/x.xlsx", OfficePackageInspector.ResolveTarget("word/charts/_rels/chart1.xml.rels", "../embeddings/x.xlsx"));
        Assert.Equal("word/document.xml", OfficePackageInspector.ResolveTarget("_rels/.rels", "word/document.xml"));
        Assert.Equal("xl/media/a b.png", OfficePackageInspector.ResolveTarget("xl/_rels/workbook.xml.rels", "/xl/media/a%20b.png"));
        Assert.Null(OfficePackageInspector.ResolveTarget("_rels/.rels", "../outside.xml"));
    }

    /// <summary>A .docx whose chart keeps its data in <paramref name="inner"/>, as Word stores a chart's workbook.</summary>
    private static byte[] EmbeddingPackage(byte[] inner)
    {
        var outer = Package(
            declarations: ["""<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>""", """<Override PartName="/word/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>"""],
            mainRelationships: [Rel("rId4", "chart", "charts/chart1.xml")],
            parts: [("word/charts/chart1.xml", "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"/>"), ("word/charts/_rels/chart1.xml.rels", Rels(Rel("rId1", "package", "../embeddings/Microsoft_Excel_Worksheet.xlsx")))]);
        return WithEntry(outer, "word/embeddings/Microsoft_Excel_Worksheet.xlsx", inner);
    }

    private static byte[] WithEntry(byte[] package, string name, byte[] content, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var memory = new MemoryStream();
        memory.Write(package);
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var stream = archive.CreateEntry(name, level).Open();
            stream.Write(content);
        }

        return memory.ToArray();
    }

    private static async Task<SniffResult> SniffAsync(byte[] bytes, string fileName)
    {
        using var stream = new MemoryStream(bytes);
        return await FileTypeSniffer.SniffAsync(stream, fileName, TestContext.Current.CancellationToken);
    }
}
