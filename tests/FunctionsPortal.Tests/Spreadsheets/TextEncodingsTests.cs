using System.Text;
using FunctionsPortal.Spreadsheets;

namespace FunctionsPortal.Tests.Spreadsheets;

public sealed class TextEncodingsTests
{
    private const string Japanese = "法人名,受任者\r\n株式会社サンプル,山田 太郎\r\n";

    [Fact]
    public void Utf8WithBomIsReadAsUtf8()
    {
        var (text, encoding) = TextEncodings.Decode(TextEncodings.Encode(Japanese, TextEncodings.Utf8));

        Assert.Equal((Japanese, TextEncodings.Utf8), (text, encoding));
    }

    [Fact]
    public void Utf8WithoutBomIsReadAsUtf8() =>
        Assert.Equal((Japanese, TextEncodings.Utf8), TextEncodings.Decode(Encoding.UTF8.GetBytes(Japanese)));

    [Fact]
    public void ShiftJisAsJapaneseExcelWritesItIsDetected()
    {
        var bytes = TextEncodings.Encode(Japanese, TextEncodings.ShiftJis);

        Assert.Equal((18 * 2) + 7, bytes.Length); // 18 kana/kanji in two bytes each; commas, space and CR/LF in one
        Assert.Equal((Japanese, TextEncodings.ShiftJis), TextEncodings.Decode(bytes));
    }

    [Fact]
    public void CharactersShiftJisCannotHoldAreRefusedNotReplaced()
    {
        var error = Assert.Throws<CsvFormatException>(() => TextEncodings.Encode("株式会社😀", TextEncodings.ShiftJis));

        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }
}
