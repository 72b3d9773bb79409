using System.Text;

namespace FunctionsPortal.Spreadsheets;

/// <summary>
/// The encodings Japanese spreadsheets use: UTF-8 (with or without BOM) and Shift_JIS/CP932, which Japanese Excel
/// writes by default. Reading detects which one a file is; writing Shift_JIS refuses characters it cannot hold.
/// </summary>
public static class TextEncodings
{
    public const string Utf8 = "utf-8";
    public const string ShiftJis = "shift_jis";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The customary mark (geta, 〓) Japanese text shows where a character could not be printed.</summary>
    public const string Replacement = "〓";

    /// <summary>CP932 (Windows Shift_JIS), failing on characters or bytes it cannot map.</summary>
    private static readonly Encoding Cp932 = RegisterAndGetCp932();

    // No best-fit mapping: a character CP932 lacks becomes a visible 〓, never a look-alike that silently changes the text.
    private static readonly Encoding Cp932Replacing = Encoding.GetEncoding(932, new EncoderReplacementFallback(Replacement), DecoderFallback.ExceptionFallback);

    public static (string Text, string Encoding) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (StrictUtf8.GetString(bytes[3..]), Utf8);
        }

        try
        {
            return (StrictUtf8.GetString(bytes), Utf8);
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: Japanese Excel's default "CSV" is CP932.
        }

        try
        {
            return (Cp932.GetString(bytes), ShiftJis);
        }
        catch (DecoderFallbackException)
        {
            throw new CsvFormatException("The file is neither UTF-8 nor Shift_JIS (CP932) text.");
        }
    }

    /// <summary>UTF-8 with a BOM (so Excel opens it as UTF-8), or Shift_JIS.</summary>
    public static byte[] Encode(string text, string encoding)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.Equals(encoding, ShiftJis, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return Cp932.GetBytes(text);
            }
            catch (EncoderFallbackException exception)
            {
                throw new CsvFormatException($"'{exception.CharUnknown}' cannot be written in Shift_JIS; export as UTF-8 instead.");
            }
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];
    }

    /// <summary>
    /// The text as Shift_JIS (CP932) can hold it: each character it lacks (emoji, 𠮷, …) becomes 〓. Whether anything
    /// was replaced comes back so exports can name the rows.
    /// </summary>
    public static string ToShiftJisText(string text, out bool replaced)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
        {
            replaced = false;
            return text;
        }

        replaced = !HeldAsIs(text);
        if (!replaced)
        {
            return text;
        }

        // Character by character (a rune, so an emoji's surrogate pair is one 〓, not two).
        var held = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var character = rune.ToString();
            held.Append(rune.IsAscii || HeldAsIs(character) ? character : Replacement);
        }

        return held.ToString();
    }

    private static bool HeldAsIs(string text) => string.Equals(Cp932Replacing.GetString(Cp932Replacing.GetBytes(text)), text, StringComparison.Ordinal);

    private static Encoding RegisterAndGetCp932()
    {
        // Code pages beyond UTF-*/ASCII/Latin-1 ship in the framework but must be registered before use.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    public static bool IsKnown(string? encoding) =>
        string.Equals(encoding, Utf8, StringComparison.OrdinalIgnoreCase) || string.Equals(encoding, ShiftJis, StringComparison.OrdinalIgnoreCase);
}
