using System.IO.Compression;
using System.Text;
using FunctionsPortal.Spreadsheets;

namespace FunctionsPortal.Tests.Spreadsheets;

/// <summary>A hostile workbook is refused at the first cap it passes, before it is decompressed or allocated whole.</summary>
public sealed class XlsxWorkbookLimitsTests
{
    private static readonly SpreadsheetLimits Limits = new();

    [Fact]
    public void ADeclaredDimensionOfTheWholeGridIsRefusedBeforeARowIsAllocated()
    {
        // The old reader padded rows up to r and cells up to the column: a million rows for this one cell.
        var workbook = Workbook("""<dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>""");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<XlsxFormatException>(() => XlsxWorkbook.Read(new MemoryStream(workbook)));

        Assert.Contains("spans A1:XFD1048576", error.Message, StringComparison.Ordinal);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 * 1024 * 1024);
    }

    [Fact]
    public void RowsPastTheCapAreRefusedThoughTheDimensionSaysTwo()
    {
        var rows = string.Concat(Enumerable.Range(1, Limits.XlsxRows + 1).Select(r => $"""<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"""));
        var workbook = Workbook($"""<dimension ref="A1:A2"/><sheetData>{rows}</sheetData>""");

        var error = Assert.Throws<XlsxFormatException>(() => XlsxWorkbook.Read(new MemoryStream(workbook)));

        Assert.Contains($"more than {Limits.XlsxRows:N0} rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARowNumberPastTheCapIsRefusedBeforeTheRowsBeforeItAreAllocated()
    {
        var workbook = Workbook("""<dimension ref="A1"/><sheetData><row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>""");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<XlsxFormatException>(() => XlsxWorkbook.Read(new MemoryStream(workbook)));

        Assert.Contains("rows", error.Message, StringComparison.Ordinal);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 * 1024 * 1024);
    }

    [Fact]
    public void AColumnPastTheCapIsRefused()
    {
        var workbook = Workbook("""<sheetData><row r="1"><c r="XFD1"><v>1</v></c></row></sheetData>""");

        var error = Assert.Throws<XlsxFormatException>(() => XlsxWorkbook.Read(new MemoryStream(workbook)));

        Assert.Contains($"more than {Limits.XlsxColumns:N0} columns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASharedStringLongerThanAnExcelCellIsRefused()
    {
        var workbook = Workbook(
            """<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>""",
            $"""<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{new string('x', Limits.XlsxCellChars + 1)}</t></si></sst>""");

        var error = Assert.Throws<XlsxFormatException>(() => XlsxWorkbook.Read(new MemoryStream(workbook)));

        Assert.Contains($"Shared string 1 has {Limits.XlsxCellChars + 1:N0} characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreSharedStringsThanTheCapAreRefusedWhateverTheTableDeclares()
    {
        var items = string.Concat(Enumerable.Repeat("<si><t>x</t></si>", Limits.XlsxSharedStrings + 1));
        var workbook = Workbook(
            """<sheetData/>""",
            $"""<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">{items}</sst>""");

        var error = Assert.Throws<XlsxFormatException>(() => XlsxWorkbook.Read(new MemoryStream(workbook)));

        Assert.Contains("shared strings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APartThatExpandsPastTheCapIsRefusedFromTheZipDirectory()
    {
        // 30 MiB of one repeated row compresses to a few tens of KiB: a zip bomb in miniature.
        var bomb = "<sheetData>" + new StringBuilder().Insert(0, """<row><c t="inlineStr"><is><t>x</t></is></c></row>""", 30 * 1024 * 1024 / 50) + "</sheetData>";
        var workbook = Workbook(bomb);

        var error = Assert.Throws<XlsxFormatException>(() => XlsxWorkbook.Read(new MemoryStream(workbook)));

        Assert.True(workbook.Length < 1024 * 1024, $"the bomb is {workbook.Length:N0} bytes zipped");
        Assert.Contains("xl/worksheets/sheet1.xml' in the workbook expands to", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APartThatExpandsMoreThanTheRatioIsRefused()
    {
        var sheet = "<sheetData>" + new StringBuilder().Insert(0, """<row><c t="inlineStr"><is><t>x</t></is></c></row>""", 2 * 1024 * 1024 / 50) + "</sheetData>";

        var error = Assert.Throws<XlsxFormatException>(() => XlsxWorkbook.Read(new MemoryStream(Workbook(sheet))));

        Assert.Contains($"{Limits.XlsxCompressionRatio} times", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWorkbookWithinTheCapsStillReads()
    {
        var workbook = Workbook(
            """<dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row><row r="2"><c r="B2" t="inlineStr"><is><t>inline</t></is></c></row></sheetData>""",
            """<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>shared</t></si></sst>""");

        var rows = XlsxWorkbook.Read(new MemoryStream(workbook))["sheet"];

        Assert.Equal([["shared", "2"], ["", "inline"]], rows);
    }

    /// <summary>A minimal workbook with one sheet named "sheet" whose worksheet element holds <paramref name="sheetBody"/>, written by hand so it can lie.</summary>
    private static byte[] Workbook(string sheetBody, string? sharedStrings = null)
    {
        const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, string text)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                entry.Write(Encoding.UTF8.GetBytes(text));
            }

            Add("[Content_Types].xml", $"""
                <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>
                <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
                <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
                {(sharedStrings is null ? "" : """<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>""")}
                </Types>
                """);
            Add("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Add("xl/workbook.xml", $"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{Main}" xmlns:r="{Relationships}"><sheets><sheet name="sheet" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Add("xl/_rels/workbook.xml.rels", $"""
                <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="{Relationships}/worksheet" Target="worksheets/sheet1.xml"/>
                {(sharedStrings is null ? "" : $"""<Relationship Id="rId2" Type="{Relationships}/sharedStrings" Target="sharedStrings.xml"/>""")}
                </Relationships>
                """);
            Add("xl/worksheets/sheet1.xml", $"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{Main}">{sheetBody}</worksheet>""");
            if (sharedStrings is not null)
            {
                Add("xl/sharedStrings.xml", """<?xml version="1.0" encoding="UTF-8"?>""" + sharedStrings);
            }
        }

        return stream.ToArray();
    }
}
