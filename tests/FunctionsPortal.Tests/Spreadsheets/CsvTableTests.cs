using FunctionsPortal.Spreadsheets;

namespace FunctionsPortal.Tests.Spreadsheets;

public sealed class CsvTableTests
{
    [Fact]
    public void QuotedFieldsKeepCommasQuotesAndLineBreaks()
    {
        var rows = CsvTable.Parse("a,\"b, with comma\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,last\r\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal(["a", "b, with comma", "say \"hi\""], rows[0].Fields);
        Assert.Equal(["multi\nline", "", "last"], rows[1].Fields);
        Assert.Equal(2, rows[1].LineNumber);
    }

    [Fact]
    public void WriteThenParseIsLosslessIncludingFormulaLookingText()
    {
        string?[][] original = [["id", "name"], ["=1+2", "-株式会社マイナス"], ["@user", " padded "], ["", null]];

        var rows = CsvTable.Parse(CsvTable.Write(original));

        Assert.Equal(original.Select(row => row.Select(value => value ?? "")), rows.Select(row => row.Fields));
    }

    [Fact]
    public void FormulaLookingTextIsWrittenInertForSpreadsheets()
    {
        Assert.Equal("'=HYPERLINK(\"x\")", CsvTable.Write([["=HYPERLINK(\"x\")"]]).Trim().Trim('"').Replace("\"\"", "\"", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnclosedQuoteIsReportedWithItsLine()
    {
        var error = Assert.Throws<CsvFormatException>(() => CsvTable.Parse("a,b\r\nc,\"never closed\r\nd"));

        Assert.Contains("Line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlankLinesAreSkippedAndLfOnlyFilesWork()
    {
        var rows = CsvTable.Parse("a,b\n\nc,d\n");

        Assert.Equal([1, 3], rows.Select(row => row.LineNumber));
    }

    [Fact]
    public void RowsPastTheCapStopTheParseNamingTheLine()
    {
        var limits = new SpreadsheetLimits { CsvRows = 3 };

        var error = Assert.Throws<CsvFormatException>(() => CsvTable.Parse("h\r\n1\r\n2\r\n3\r\n4\r\n", limits));

        Assert.Equal("Line 4: the file has more than 3 rows; import it in parts.", error.Message);
    }

    [Fact]
    public void AFieldPastTheCapStopsTheParseEvenInsideQuotes()
    {
        var limits = new SpreadsheetLimits { CsvFieldChars = 10 };

        Assert.Equal(2, CsvTable.Parse("a,\"0123456789\"\r\nb,0123456789\r\n", limits).Count);
        var error = Assert.Throws<CsvFormatException>(() => CsvTable.Parse("a,\"0123456789\r\n0\"\r\n", limits));

        Assert.Equal("Line 1: a field is longer than 10 characters.", error.Message);
    }
}
