using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace FunctionsPortal.Evidence;

/// <summary>
/// Decides what an uploaded file is from its content, never from its name, because evidence is served back to staff
/// browsers: the name only picks between formats that share a container (.doc/.xls/.ppt inside OLE2) and must not
/// contradict the content. Anything we would not open ourselves (executables, HTML, SVG, scripts, plain ZIPs) is refused.
/// </summary>
public static class FileTypeSniffer
{
    /// <summary>How much of the start of a file the sniffer looks at.</summary>
    public const int HeadBytes = 8 * 1024;

    public static readonly DetectedType Pdf = new("application/pdf", ".pdf", "PDF");
    public static readonly DetectedType Docx = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word (.docx)");
    public static readonly DetectedType Xlsx = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel (.xlsx)");
    public static readonly DetectedType Pptx = new("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "PowerPoint (.pptx)");
    public static readonly DetectedType Doc = new("application/msword", ".doc", "Word 97-2003 (.doc)");
    public static readonly DetectedType Xls = new("application/vnd.ms-excel", ".xls", "Excel 97-2003 (.xls)");
    public static readonly DetectedType Ppt = new("application/vnd.ms-powerpoint", ".ppt", "PowerPoint 97-2003 (.ppt)");
    public static readonly DetectedType Png = new("image/png", ".png", "PNG image");
    public static readonly DetectedType Jpeg = new("image/jpeg", ".jpg", "JPEG image");
    public static readonly DetectedType Gif = new("image/gif", ".gif", "GIF image");
    public static readonly DetectedType Webp = new("image/webp", ".webp", "WebP image");
    public static readonly DetectedType CsvUtf8 = new("text/csv; charset=utf-8", ".csv", "CSV (UTF-8)");
    public static readonly DetectedType CsvShiftJis = new("text/csv; charset=shift_jis", ".csv", "CSV (Shift_JIS)");
    public static readonly DetectedType TextUtf8 = new("text/plain; charset=utf-8", ".txt", "Text (UTF-8)");
    public static readonly DetectedType TextShiftJis = new("text/plain; charset=shift_jis", ".txt", "Text (Shift_JIS)");

    /// <summary>Extensions each canonical extension also answers to (a .jpeg is a JPEG, a .log is text).</summary>
    private static readonly Dictionary<string, string[]> Aliases = new(StringComparer.Ordinal)
    {
        [".jpg"] = [".jpg", ".jpeg", ".jpe", ".jfif"],
        [".txt"] = [".txt", ".log"],
    };

    private static readonly DetectedType[] OoxmlTypes = [Docx, Xlsx, Pptx];

    /// <summary>The 97-2003 formats OLE2 holds; which one it is, the full inspection reads from the main stream.</summary>
    private static readonly DetectedType[] Ole2Types = [Doc, Xls, Ppt];

    /// <summary>Every extension some accepted type uses: a file carrying one of them that is something else is a mismatch.</summary>
    private static readonly HashSet<string> KnownExtensions = new[] { Pdf, Docx, Xlsx, Pptx, Doc, Xls, Ppt, Png, Jpeg, Gif, Webp, CsvUtf8, TextUtf8 }
        .SelectMany(ExtensionsOf).ToHashSet(StringComparer.Ordinal);

    /// <summary>CP932 (Windows Shift_JIS, what Japanese Excel writes), failing on bytes it cannot map.</summary>
    private static readonly Encoding Cp932 = RegisterAndGetCp932();

    private static ReadOnlySpan<byte> PdfMagic => "%PDF-"u8;

    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> Ole2Magic => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private static ReadOnlySpan<byte> ZipLocalHeader => [0x50, 0x4B, 0x03, 0x04];

    private static ReadOnlySpan<byte> ZipEndOfDirectory => [0x50, 0x4B, 0x05, 0x06];

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The detected type, or null when the file is refused (see <see cref="Sniff"/> for why).</summary>
    public static DetectedType? Detect(ReadOnlySpan<byte> head, string? fileName) => Sniff(head, fileName).Type;

    /// <summary>
    /// Judges a file by its first bytes (up to <see cref="HeadBytes"/>; pass the whole file when it is shorter).
    /// For an Office ZIP whose first entries do not show which application wrote it, the name decides; use
    /// <see cref="SniffAsync(Stream, string?, CancellationToken)"/> when the whole file is at hand: an Office file is
    /// only judged for macros, embedded objects and encryption there.
    /// </summary>
    public static SniffResult Sniff(ReadOnlySpan<byte> head, string? fileName)
    {
        if (head.IsEmpty)
        {
            return SniffRefusals.Empty();
        }

        var extension = ExtensionOf(fileName);
        if (head.StartsWith(PdfMagic))
        {
            return Resolve([Pdf], extension);
        }

        if (head.StartsWith(PngMagic))
        {
            return Resolve([Png], extension);
        }

        if (head.StartsWith(JpegMagic))
        {
            return Resolve([Jpeg], extension);
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return Resolve([Gif], extension);
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return Resolve([Webp], extension);
        }

        if (head.StartsWith(Ole2Magic))
        {
            // Office encrypts a password-protected .docx/.xlsx/.pptx into OLE2; we cannot check what we cannot read.
            return OoxmlTypes.Any(type => type.Extension == extension)
                ? SniffRefusals.Encrypted()
                : Resolve(Ole2Types, extension, groupLabel: "Office 97-2003 (OLE2)");
        }

        if (head.StartsWith(ZipLocalHeader))
        {
            var (names, complete) = LocalEntryNames(head);
            return ResolveOoxml(names, complete, extension);
        }

        return SniffText(head, extension);
    }

    /// <summary>
    /// Judges a whole file: like <see cref="Sniff"/>, but an Office file is decided by everything in it. A ZIP by its
    /// content types and relationships (<see cref="OfficePackageInspector"/>), an OLE2 compound file by its directory
    /// and main stream (<see cref="LegacyOfficeInspector"/>); macros, ActiveX, embedded objects, external links and
    /// encryption are refused. The stream must be seekable; it is read from the start and left at an unspecified position.
    /// </summary>
    public static Task<SniffResult> SniffAsync(Stream content, string? fileName, CancellationToken cancellationToken) =>
        SniffAsync(content, fileName, EvidenceOptions.DefaultMaxUnpackedBytes, cancellationToken);

    /// <summary>As <see cref="SniffAsync(Stream, string?, CancellationToken)"/>, decompressing at most <paramref name="maxUnpackedBytes"/> of an Office ZIP.</summary>
    public static async Task<SniffResult> SniffAsync(Stream content, string? fileName, long maxUnpackedBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxUnpackedBytes);
        if (!content.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable (the ZIP directory is at the end, OLE2 sectors anywhere).", nameof(content));
        }

        content.Position = 0;
        var head = new byte[HeadBytes];
        var length = await content.ReadAtLeastAsync(head, HeadBytes, throwOnEndOfStream: false, cancellationToken);
        if (!NeedsFullInspection(head.AsSpan(0, length), fileName))
        {
            return Sniff(head.AsSpan(0, length), fileName);
        }

        content.Position = 0;
        var verdict = head.AsSpan().StartsWith(Ole2Magic)
            ? await LegacyOfficeInspector.InspectAsync(content, cancellationToken)
            : await OfficePackageInspector.InspectAsync(content, maxUnpackedBytes, cancellationToken);
        var extension = ExtensionOf(fileName);
        return verdict.Accepted ? Resolve([verdict.Type], extension) : verdict;
    }

    /// <summary>
    /// True when the head is an Office container (OLE2 or ZIP) whose name allows an Office document (an Office
    /// extension or none): only the whole file can settle it. Any other name on such a container is refused from the head alone.
    /// </summary>
    internal static bool NeedsFullInspection(ReadOnlySpan<byte> head, string? fileName)
    {
        var extension = ExtensionOf(fileName);
        return (head.StartsWith(ZipLocalHeader) && (extension.Length == 0 || OoxmlTypes.Any(type => type.Extension == extension)))
            || (head.StartsWith(Ole2Magic) && (extension.Length == 0 || OoxmlTypes.Concat(Ole2Types).Any(type => type.Extension == extension)));
    }

    /// <summary>The lower-case extension with its dot ("" for none), after dropping any path and trailing dots or spaces.</summary>
    internal static string ExtensionOf(string? fileName)
    {
        var name = (fileName ?? "").AsSpan();
        name = name[(name.LastIndexOfAny('/', '\\') + 1)..].TrimEnd(". \t");
        var dot = name.LastIndexOf('.');
        return dot < 0 ? "" : name[dot..].ToString().ToLowerInvariant();
    }

    private static IEnumerable<string> ExtensionsOf(DetectedType type) =>
        Aliases.TryGetValue(type.Extension, out var aliases) ? aliases : [type.Extension];

    /// <summary>
    /// The content could be any of <paramref name="candidates"/>: the extension picks one, must not name another
    /// accepted type (mismatch), and may be absent only when the content alone settles it (or a default applies).
    /// </summary>
    internal static SniffResult Resolve(IReadOnlyList<DetectedType> candidates, string extension, string? groupLabel = null, DetectedType? withoutExtension = null)
    {
        if (extension.Length == 0)
        {
            return candidates.Count == 1 ? SniffResult.Accept(candidates[0])
                : withoutExtension is not null ? SniffResult.Accept(withoutExtension)
                : SniffRefusals.NeedsExtension(groupLabel ?? candidates[0].Label);
        }

        foreach (var candidate in candidates)
        {
            if (ExtensionsOf(candidate).Contains(extension, StringComparer.Ordinal))
            {
                return SniffResult.Accept(candidate);
            }
        }

        return KnownExtensions.Contains(extension)
            ? SniffRefusals.Mismatch(candidates.Count == 1 ? candidates[0].Label : groupLabel ?? candidates[0].Label, extension)
            : SniffRefusals.Unsupported();
    }

    /// <summary>
    /// An OOXML package has <c>[Content_Types].xml</c> and its application's folder (word/, xl/, ppt/). With only the
    /// first entries seen (<paramref name="complete"/> false) and no folder among them, the extension decides.
    /// </summary>
    private static SniffResult ResolveOoxml(IEnumerable<string> names, bool complete, string extension)
    {
        var contentTypes = false;
        var kinds = new List<DetectedType>();
        foreach (var name in names)
        {
            if (name.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase))
            {
                return SniffRefusals.Macros();
            }

            contentTypes |= name == "[Content_Types].xml";
            var kind = name.StartsWith("word/", StringComparison.Ordinal) ? Docx
                : name.StartsWith("xl/", StringComparison.Ordinal) ? Xlsx
                : name.StartsWith("ppt/", StringComparison.Ordinal) ? Pptx
                : null;
            if (kind is not null && !kinds.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        if (kinds.Count > 0 && (contentTypes || !complete))
        {
            return Resolve(kinds, extension, groupLabel: "Office (ZIP)");
        }

        return complete ? SniffRefusals.Unsupported() : Resolve(OoxmlTypes, extension, groupLabel: "Office (ZIP)");
    }

    /// <summary>Names of the ZIP local file headers inside the head; complete when the end-of-directory record is there too.</summary>
    private static (List<string> Names, bool Complete) LocalEntryNames(ReadOnlySpan<byte> head)
    {
        var names = new List<string>();
        var offset = 0;
        while (offset + 30 <= head.Length)
        {
            var found = head[offset..].IndexOf(ZipLocalHeader);
            if (found < 0 || offset + found + 30 > head.Length)
            {
                break;
            }

            var start = offset + found;
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(head[(start + 26)..]);
            var name = head.Slice(start + 30, Math.Min(nameLength, head.Length - start - 30));
            if (nameLength > 0 && name.Length == nameLength && name.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0)
            {
                names.Add(Encoding.UTF8.GetString(name));
            }

            offset = start + 30 + name.Length;
        }

        return (names, head.IndexOf(ZipEndOfDirectory) >= 0);
    }

    /// <summary>
    /// Text is UTF-8 (BOM or not) or Shift_JIS with no control bytes but tabs and line breaks; markup and scripts are
    /// refused even as .txt, since a browser could be talked into rendering them.
    /// </summary>
    private static SniffResult SniffText(ReadOnlySpan<byte> head, string extension)
    {
        var hasBom = head.StartsWith(Utf8Bom);
        var body = hasBom ? head[3..] : head;
        foreach (var value in body)
        {
            // Tab, LF, FF, CR and the DOS end-of-file marker are all a text file holds below space; NUL means binary.
            if (value < 0x20 && value is not (0x09 or 0x0A or 0x0C or 0x0D or 0x1A))
            {
                return SniffRefusals.Unsupported();
            }
        }

        if (LooksLikeMarkupOrScript(body))
        {
            return SniffRefusals.Markup();
        }

        var (csv, text) = IsUtf8(body) ? (CsvUtf8, TextUtf8)
            : !hasBom && IsShiftJis(body) ? (CsvShiftJis, TextShiftJis)
            : (null, null);
        return csv is null || text is null
            ? SniffRefusals.Unsupported()
            : Resolve([csv, text], extension, groupLabel: text.Label, withoutExtension: text);
    }

    private static bool LooksLikeMarkupOrScript(ReadOnlySpan<byte> body)
    {
        var start = body.TrimStart(" \t\r\n\f"u8);
        if (start.StartsWith("#!"u8))
        {
            return true;
        }

        // "<html", "<!doctype", "<svg", "<script", "<?xml", "</…": what a browser would sniff as markup.
        return start.Length >= 2 && start[0] == (byte)'<' && (char.IsAsciiLetter((char)start[1]) || start[1] is (byte)'!' or (byte)'?' or (byte)'/');
    }

    /// <summary>Valid UTF-8, allowing a character cut off at the end (the head may stop mid-character).</summary>
    private static bool IsUtf8(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out _, out var consumed);
            if (status == OperationStatus.NeedMoreData)
            {
                return true;
            }

            if (status != OperationStatus.Done)
            {
                return false;
            }

            bytes = bytes[consumed..];
        }

        return true;
    }

    /// <summary>Decodes as CP932 without flushing, so a double-byte character cut off at the end is not an error.</summary>
    private static bool IsShiftJis(ReadOnlySpan<byte> bytes)
    {
        try
        {
            Cp932.GetDecoder().GetCharCount(bytes, flush: false);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static Encoding RegisterAndGetCp932()
    {
        // Code pages beyond UTF-*/ASCII/Latin-1 ship in the framework but must be registered before use.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }
}
