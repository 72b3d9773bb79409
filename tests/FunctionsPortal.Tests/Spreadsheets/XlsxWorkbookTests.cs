using FunctionsPortal.Spreadsheets;

namespace FunctionsPortal.Tests.Spreadsheets;

public sealed class XlsxWorkbookTests
{
    [Fact]
    public void CharactersXmlCannotCarryBecomeAVisibleMarkAndTheRestIsKept()
    {
        var bytes = XlsxWorkbook.Write([("sheet", [["改行\nと\v縦タブ", "😀 𠮷", "\t=1+2"]])]);

        var row = XlsxWorkbook.Read(new MemoryStream(bytes))["sheet"].Single();

        Assert.Equal(["改行\nと\uFFFD縦タブ", "😀 𠮷", "\t=1+2"], row);
    }
}
