using System.Text;
using FunctionsPortal.Spreadsheets;

namespace FunctionsPortal.Tests.Spreadsheets;

/// <summary>Shift_JIS downloads never fail: one 〓 per character CP932 lacks, and the rows named in a header.</summary>
public sealed class CsvDownloadTests
{
    [Theory]
    [InlineData("株式会社😀", "株式会社〓", true)]
    [InlineData("𠮷野家", "〓野家", true)]
    [InlineData("髙橋①", "髙橋①", false)]
    [InlineData("〓そのまま", "〓そのまま", false)]
    [InlineData("plain ascii", "plain ascii", false)]
    public void ShiftJisTextReplacesEachMissingCharacterOnce(string text, string expected, bool replaced)
    {
        Assert.Equal(expected, TextEncodings.ToShiftJisText(text, out var lost));
        Assert.Equal(replaced, lost);
    }

    [Fact]
    public void ManyReplacedRowsAreNamedUpToTheLimitAndCounted()
    {
        var rows = Enumerable.Range(0, CsvDownload.MaxNamedRows + 3).Select(index => ((string?)$"v{index}", (IReadOnlyList<string?>)["😀", "ok"]));

        var file = CsvDownload.Create(["name", "note"], rows, TextEncodings.ShiftJis);

        Assert.Equal(CsvDownload.MaxNamedRows + 3, file.Replaced.Count);
        Assert.StartsWith("2=v0,3=v1,", file.ReplacedHeaderValue(), StringComparison.Ordinal);
        Assert.EndsWith(",+3 more", file.ReplacedHeaderValue(), StringComparison.Ordinal);
        Assert.True(Ascii.IsValid(file.ReplacedHeaderValue()));
        Assert.Null(CsvDownload.Create(["name"], [("v1", ["😀"])], TextEncodings.Utf8).ReplacedHeaderValue());
    }
}
