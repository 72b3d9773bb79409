using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FunctionsPortal.Evidence;

namespace FunctionsPortal.Tests.Evidence;

public sealed class FileTypeSnifferTests
{
    private static readonly Encoding ShiftJis = RegisterAndGetShiftJis();

    public static TheoryData<string, string, string> AcceptedSamples => new()
    {
        { "pdf", "report.pdf", "application/pdf" },
        { "png", "screenshot.png", "image/png" },
        { "jpeg", "photo.jpg", "image/jpeg" },
        { "jpeg", "photo.JPEG", "image/jpeg" },
        { "gif", "diagram.gif", "image/gif" },
        { "webp", "diagram.webp", "image/webp" },
        { "docx", "policy.docx", FileTypeSniffer.Docx.ContentType },
        { "xlsx", "inventory.xlsx", FileTypeSniffer.Xlsx.ContentType },
        { "pptx", "training.pptx", FileTypeSniffer.Pptx.ContentType },
        { "ole2", "old.doc", "application/msword" },
        { "ole2", "old.xls", "application/vnd.ms-excel" },
        { "ole2", "old.ppt", "application/vnd.ms-powerpoint" },
    };

    [Theory]
    [MemberData(nameof(AcceptedSamples))]
    public void EachAcceptedKindIsRecognisedFromItsContent(string sample, string fileName, string contentType)
    {
        var result = FileTypeSniffer.Sniff(Sample(sample), fileName);

        Assert.True(result.Accepted, result.MessageEn);
        Assert.Equal(contentType, result.Type.ContentType);
        Assert.Null(result.Reason);
        Assert.Equal(result.Type, FileTypeSniffer.Detect(Sample(sample), fileName));
    }

    [Fact]
    public void AnXlsxWrittenByTheOpenXmlSdkIsRecognisedThoughItsContentTypesEntryComesLast()
    {
        using var memory = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(memory, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheet = workbook.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(new SheetData());
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "Evidence" }));
        }

        Assert.Equal(FileTypeSniffer.Xlsx, FileTypeSniffer.Detect(memory.ToArray(), "inventory.xlsx"));
        Assert.Equal(EvidenceRefusalReasons.Mismatch, FileTypeSniffer.Sniff(memory.ToArray(), "inventory.docx").Reason);
    }

    [Fact]
    public void WithoutAnExtensionTheContentAloneDecidesWhenItCan()
    {
        Assert.Equal(FileTypeSniffer.Pdf, FileTypeSniffer.Detect(EvidenceSamples.Pdf, "scan"));
        Assert.Equal(FileTypeSniffer.Docx, FileTypeSniffer.Detect(EvidenceSamples.Docx(), null));
        Assert.Equal(FileTypeSniffer.TextUtf8, FileTypeSniffer.Detect("hello\n"u8, "README"));

        // OLE2 could be any of the 97-2003 formats: only the extension can tell, so none is refused.
        var ole2 = FileTypeSniffer.Sniff(EvidenceSamples.Ole2, "old");
        Assert.Equal(EvidenceRefusalReasons.Unsupported, ole2.Reason);
    }

    [Fact]
    public void APngNamedPdfIsAMismatch()
    {
        var result = FileTypeSniffer.Sniff(EvidenceSamples.Png, "report.pdf");

        Assert.False(result.Accepted);
        Assert.Equal(EvidenceRefusalReasons.Mismatch, result.Reason);
        Assert.Contains("PNG", result.MessageEn, StringComparison.Ordinal);
        Assert.Contains(".pdf", result.MessageJa, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pdf", "photo.png")]
    [InlineData("png", "photo.jpg")]
    [InlineData("xlsx", "policy.docx")]
    [InlineData("docx", "policy.pdf")]
    [InlineData("ole2", "report.pdf")]
    [InlineData("csv", "data.xlsx")]
    public void AnExtensionOfAnotherAcceptedTypeIsAMismatch(string sample, string fileName)
    {
        Assert.Equal(EvidenceRefusalReasons.Mismatch, FileTypeSniffer.Sniff(Sample(sample), fileName).Reason);
    }

    [Theory]
    [InlineData("exe", "report.pdf")]
    [InlineData("exe", "setup.exe")]
    [InlineData("elf", "report.txt")]
    [InlineData("zip", "archive.zip")]
    [InlineData("zip", "policy.docx")]
    [InlineData("pdf", "invoice.pdf.exe")]
    [InlineData("ole2", "installer.msi")]
    [InlineData("csv", "page.html")]
    public void ContentOrNamesWeDoNotServeAreUnsupported(string sample, string fileName)
    {
        var result = FileTypeSniffer.Sniff(Sample(sample), fileName);

        Assert.False(result.Accepted);
        Assert.Equal(EvidenceRefusalReasons.Unsupported, result.Reason);
        Assert.NotEmpty(result.MessageJa);
        Assert.NotEmpty(result.MessageEn);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>hi</body></html>")]
    [InlineData("<html><script>alert(1)</script></html>")]
    [InlineData("\uFEFF  \r\n<!doctype html>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<?xml version=\"1.0\"?><svg/>")]
    [InlineData("#!/bin/sh\nrm -rf /\n")]
    public void MarkupAndScriptsAreRefusedEvenAsText(string text)
    {
        var result = FileTypeSniffer.Sniff(Encoding.UTF8.GetBytes(text), "notes.txt");

        Assert.Equal(EvidenceRefusalReasons.Unsupported, result.Reason);
        Assert.Contains("HTML", result.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void AUtf8JapaneseCsvIsAcceptedWithOrWithoutBom()
    {
        var csv = "会社名,担当者,備考\n株式会社サンプル,山田 太郎,\"ISMS 認証取得済み\"\r\n";

        Assert.Equal(FileTypeSniffer.CsvUtf8, FileTypeSniffer.Detect(Encoding.UTF8.GetBytes(csv), "vendors.csv"));
        Assert.Equal(FileTypeSniffer.CsvUtf8, FileTypeSniffer.Detect([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)], "vendors.csv"));
        Assert.Equal(FileTypeSniffer.TextUtf8, FileTypeSniffer.Detect(Encoding.UTF8.GetBytes(csv), "vendors.txt"));
        Assert.Equal("text/csv; charset=utf-8", FileTypeSniffer.CsvUtf8.ContentType);
    }

    [Fact]
    public void AShiftJisCsvIsAccepted()
    {
        var bytes = ShiftJis.GetBytes("会社名,担当者\n株式会社サンプル,山田 太郎\nｶﾀｶﾅ,表\n");

        Assert.False(FileTypeSniffer.Sniff(bytes, "vendors.csv").Type == FileTypeSniffer.CsvUtf8);
        Assert.Equal(FileTypeSniffer.CsvShiftJis, FileTypeSniffer.Detect(bytes, "vendors.csv"));
        Assert.Equal(FileTypeSniffer.TextShiftJis, FileTypeSniffer.Detect(bytes, "vendors.txt"));
    }

    [Fact]
    public void TextCutOffMidCharacterAtTheEndOfTheHeadIsStillText()
    {
        var utf8 = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("情報セキュリティ方針,", 1000)));
        var sjis = ShiftJis.GetBytes(string.Concat(Enumerable.Repeat("情報セキュリティ方針,", 1000)));

        // 8192 is not a multiple of 3 (UTF-8 kana and kanji) and 8191 splits a two-byte Shift_JIS character.
        Assert.Equal(FileTypeSniffer.CsvUtf8, FileTypeSniffer.Detect(utf8.AsSpan(0, FileTypeSniffer.HeadBytes), "policy.csv"));
        Assert.Equal(FileTypeSniffer.CsvShiftJis, FileTypeSniffer.Detect(sjis.AsSpan(0, FileTypeSniffer.HeadBytes - 1), "policy.csv"));
    }

    [Fact]
    public void BinaryThatIsNeitherUtf8NorShiftJisIsRefused()
    {
        Assert.Equal(EvidenceRefusalReasons.Unsupported, FileTypeSniffer.Sniff([0x41, 0x00, 0x42], "a.txt").Reason);
        Assert.Equal(EvidenceRefusalReasons.Unsupported, FileTypeSniffer.Sniff("abc\u001Bdef"u8, "a.txt").Reason);
        Assert.Equal(EvidenceRefusalReasons.Empty, FileTypeSniffer.Sniff([], "a.txt").Reason);
    }

    [Fact]
    public void MacroEnabledOfficeFilesAreRefused()
    {
        var xlsm = EvidenceSamples.Ooxml("xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml", 0, "xl/vbaProject.bin");

        var result = FileTypeSniffer.Sniff(xlsm, "budget.xlsx");

        Assert.Equal(EvidenceRefusalReasons.Unsupported, result.Reason);
        Assert.Contains("macros", result.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void PathPartsAndCaseOfTheNameDoNotMatter()
    {
        Assert.Equal(FileTypeSniffer.Png, FileTypeSniffer.Detect(EvidenceSamples.Png, @"C:\fakepath\SCREEN.PNG"));
        Assert.Equal(FileTypeSniffer.Png, FileTypeSniffer.Detect(EvidenceSamples.Png, "dir/screen.png. "));
    }

    [Fact]
    public async Task WhenTheHeadCannotTellTheZipDirectoryDecides()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // A 16 KiB first entry pushes every telling entry past the head.
        var xlsx = EvidenceSamples.Ooxml("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", leadingBytes: 16 * 1024);

        // From the head alone only the name can pick the Office format...
        Assert.Equal(FileTypeSniffer.Docx, FileTypeSniffer.Detect(xlsx.AsSpan(0, FileTypeSniffer.HeadBytes), "policy.docx"));

        // ...the whole file says what it really is.
        using var stream = new MemoryStream(xlsx);
        Assert.Equal(EvidenceRefusalReasons.Mismatch, (await FileTypeSniffer.SniffAsync(stream, "policy.docx", cancellationToken)).Reason);
        Assert.Equal(FileTypeSniffer.Xlsx, (await FileTypeSniffer.SniffAsync(stream, "inventory.xlsx", cancellationToken)).Type);
        Assert.Equal(FileTypeSniffer.Xlsx, (await FileTypeSniffer.SniffAsync(stream, "inventory", cancellationToken)).Type);
    }

    [Fact]
    public async Task TheStreamOverloadJudgesOtherFilesLikeTheHead()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var png = new MemoryStream(EvidenceSamples.Png);
        using var zip = new MemoryStream(EvidenceSamples.PlainZip());
        using var damaged = new MemoryStream(EvidenceSamples.Docx()[..200]);

        Assert.Equal(FileTypeSniffer.Png, (await FileTypeSniffer.SniffAsync(png, "a.png", cancellationToken)).Type);
        Assert.Equal(EvidenceRefusalReasons.Unsupported, (await FileTypeSniffer.SniffAsync(zip, "a.docx", cancellationToken)).Reason);
        Assert.Equal(EvidenceRefusalReasons.Unsupported, (await FileTypeSniffer.SniffAsync(damaged, "a.docx", cancellationToken)).Reason);
    }

    private static byte[] Sample(string name) => name switch
    {
        "pdf" => EvidenceSamples.Pdf,
        "png" => EvidenceSamples.Png,
        "jpeg" => EvidenceSamples.Jpeg,
        "gif" => EvidenceSamples.Gif,
        "webp" => EvidenceSamples.Webp,
        "docx" => EvidenceSamples.Docx(),
        "xlsx" => EvidenceSamples.Xlsx(),
        "pptx" => EvidenceSamples.Pptx(),
        "ole2" => EvidenceSamples.Ole2,
        "exe" => EvidenceSamples.Exe,
        "elf" => EvidenceSamples.Elf,
        "zip" => EvidenceSamples.PlainZip(),
        "csv" => "id,name\n1,株式会社サンプル\n"u8.ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static Encoding RegisterAndGetShiftJis()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932);
    }
}
