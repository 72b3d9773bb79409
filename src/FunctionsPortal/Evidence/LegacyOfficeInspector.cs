using System.Buffers;
using System.Buffers.Binary;

namespace FunctionsPortal.Evidence;

/// <summary>
/// Judges a compound file (Office 97-2003, or OOXML that Office encrypted into one) by what it holds: the main stream
/// decides .doc/.xls/.ppt; VBA projects, embedded OLE objects and packages, and encryption are refused, because staff
/// open these files in Office and we cannot vouch for what we cannot see.
/// </summary>
/// <remarks>
/// Not checked: Word 6/95 and Excel 5/95 specifics beyond the shared flags, PowerPoint 95, and macros hidden in ways
/// Office itself would not run (a VBA storage under an unusual name is refused only by the names listed here).
/// </remarks>
internal static class LegacyOfficeInspector
{
    /// <summary>How much of a workbook's stream is walked for FILEPASS and macro-sheet records (they sit in the globals, at the start).</summary>
    private const int WorkbookGlobalsBytes = 1024 * 1024;

    /// <summary>How much of a presentation's record stream is walked (a cap on work, far above its records outside pictures).</summary>
    private const int PowerPointBytes = 64 * 1024 * 1024;

    /// <summary>Storage and stream names of a VBA project: Excel's <c>_VBA_PROJECT_CUR</c>, Word's <c>Macros</c>, and the project's own <c>VBA</c>/<c>_VBA_PROJECT</c>.</summary>
    private static readonly HashSet<string> VbaNames = new(["_VBA_PROJECT_CUR", "_VBA_PROJECT", "VBA", "Macros"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Streams that only an encrypted or rights-managed file has (encrypted OOXML, IRM, encrypted PowerPoint).</summary>
    private static readonly HashSet<string> EncryptionNames = new(["EncryptionInfo", "EncryptedPackage", "EncryptedSummary", "\u0006DataSpaces"], StringComparer.OrdinalIgnoreCase);

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    public static async Task<SniffResult> InspectAsync(Stream content, CancellationToken cancellationToken)
    {
        try
        {
            var file = await CompoundFile.OpenAsync(content, cancellationToken);
            return await JudgeAsync(file, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return SniffRefusals.Damaged();
        }
    }

    private static async Task<SniffResult> JudgeAsync(CompoundFile file, CancellationToken cancellationToken)
    {
        // Names anywhere count, including entries the directory tree does not reach: Office's repair might find them.
        var live = file.Entries.Where(entry => entry.Kind != CompoundFileEntryKind.Unused).ToList();
        if (live.Any(entry => VbaNames.Contains(entry.Name)))
        {
            return SniffRefusals.Macros();
        }

        if (await HasEmbeddedObjectAsync(file, live, cancellationToken))
        {
            return SniffRefusals.Embedded();
        }

        if (live.Any(entry => EncryptionNames.Contains(entry.Name)))
        {
            return SniffRefusals.Encrypted();
        }

        var root = file.Entries[0];
        var main = file.ChildrenOf(root).Where(entry => entry.Kind == CompoundFileEntryKind.Stream)
            .Select(entry => (Entry: entry, Type: MainStreamType(entry.Name)))
            .Where(candidate => candidate.Type is not null)
            .ToList();
        if (main.Select(candidate => candidate.Type).Distinct().Count() != 1)
        {
            // No Office main stream (an installer, an Outlook message, a thumbnail cache) or two applications' at once.
            return SniffRefusals.Unsupported();
        }

        var (stream, type) = main[0];
        var refusal = type == FileTypeSniffer.Doc ? await JudgeWordAsync(file, stream, cancellationToken)
            : type == FileTypeSniffer.Xls ? await JudgeWorkbookAsync(file, stream, cancellationToken)
            : await JudgePresentationAsync(file, stream, cancellationToken);
        return refusal ?? SniffResult.Accept(type!);
    }

    private static DetectedType? MainStreamType(string name) => name switch
    {
        "WordDocument" => FileTypeSniffer.Doc,
        "Workbook" or "Book" => FileTypeSniffer.Xls,
        "PowerPoint Document" => FileTypeSniffer.Ppt,
        _ => null,
    };

    /// <summary>
    /// Embedded objects: an OLE 1.0 package (<c>\x01Ole10Native</c>, how an .exe rides inside a document), an object
    /// naming the Packager, Word's <c>ObjectPool</c> with objects in it, Excel's <c>MBD…</c> object storages.
    /// </summary>
    private static async Task<bool> HasEmbeddedObjectAsync(CompoundFile file, List<CompoundFileEntry> live, CancellationToken cancellationToken)
    {
        foreach (var entry in live)
        {
            if (entry.Name.Equals("\u0001Ole10Native", StringComparison.OrdinalIgnoreCase)
                || (entry.Name.Equals("ObjectPool", StringComparison.OrdinalIgnoreCase) && entry.HasChildren)
                || (entry.Kind == CompoundFileEntryKind.Storage && IsExcelObjectStorage(entry.Name)))
            {
                return true;
            }

            if (entry.Kind == CompoundFileEntryKind.Stream && entry.Name.Equals("\u0001CompObj", StringComparison.OrdinalIgnoreCase))
            {
                var compObj = await file.ReadStreamAsync(entry, 4096, cancellationToken);
                if (compObj.AsSpan().IndexOf("Package"u8) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Excel keeps each embedded object in a storage named "MBD" and eight hex digits.</summary>
    private static bool IsExcelObjectStorage(string name) =>
        name.Length == 11 && name.StartsWith("MBD", StringComparison.OrdinalIgnoreCase) && !name.AsSpan(3).ContainsAnyExcept(HexDigits);

    /// <summary>The FIB's fEncrypted bit (MS-DOC 2.5.2: byte 0x0B, bit 0), set for both RC4 and XOR-obfuscated documents.</summary>
    private static async Task<SniffResult?> JudgeWordAsync(CompoundFile file, CompoundFileEntry stream, CancellationToken cancellationToken)
    {
        var fib = await file.ReadStreamAsync(stream, 12, cancellationToken);
        if (fib.Length < 12)
        {
            return SniffRefusals.Damaged();
        }

        return (fib[0x0B] & 0x01) != 0 ? SniffRefusals.Encrypted() : null;
    }

    /// <summary>
    /// The workbook globals' records (BIFF: 2-byte type, 2-byte length): FILEPASS (0x002F) means encrypted;
    /// a BOUNDSHEET (0x0085) of type 1 or 6 is an Excel 4.0 macro sheet or a VBA module sheet.
    /// </summary>
    private static async Task<SniffResult?> JudgeWorkbookAsync(CompoundFile file, CompoundFileEntry stream, CancellationToken cancellationToken)
    {
        var records = await file.ReadStreamAsync(stream, WorkbookGlobalsBytes, cancellationToken);
        for (var offset = 0; offset + 4 <= records.Length;)
        {
            var type = BinaryPrimitives.ReadUInt16LittleEndian(records.AsSpan(offset));
            var length = BinaryPrimitives.ReadUInt16LittleEndian(records.AsSpan(offset + 2));
            var body = records.AsSpan(offset + 4, Math.Min(length, records.Length - offset - 4));
            switch (type)
            {
                case 0x002F:
                    return SniffRefusals.Encrypted();
                case 0x0085 when body.Length >= 6 && body[5] is 1 or 6:
                    return SniffRefusals.Macros();
                case 0x000A:
                    // EOF of the globals: sheets follow, and FILEPASS and BOUNDSHEET only ever appear before it.
                    return null;
            }

            offset += 4 + length;
        }

        return null;
    }

    /// <summary>
    /// The presentation's records (MS-PPT: 8-byte headers; version 0xF marks a container, whose children follow):
    /// a VBA info container (0x03FF), an embedded object's storage (0x1011) or a crypt session (0x2F14).
    /// </summary>
    private static async Task<SniffResult?> JudgePresentationAsync(CompoundFile file, CompoundFileEntry stream, CancellationToken cancellationToken)
    {
        var records = await file.ReadStreamAsync(stream, PowerPointBytes, cancellationToken);
        for (var offset = 0; offset + 8 <= records.Length;)
        {
            var isContainer = (records[offset] & 0x0F) == 0x0F;
            var type = BinaryPrimitives.ReadUInt16LittleEndian(records.AsSpan(offset + 2));
            var length = BinaryPrimitives.ReadUInt32LittleEndian(records.AsSpan(offset + 4));
            switch (type)
            {
                case 0x03FF:
                    return SniffRefusals.Macros();
                case 0x1011:
                    return SniffRefusals.Embedded();
                case 0x2F14:
                    return SniffRefusals.Encrypted();
            }

            offset += isContainer ? 8 : (int)Math.Min(8L + length, records.Length - offset);
        }

        return null;
    }
}
