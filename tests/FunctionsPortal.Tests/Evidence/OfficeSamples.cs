using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace FunctionsPortal.Tests.Evidence;

/// <summary>Real-shaped Office files built in memory: 97-2003 compound files and OOXML packages, clean or carrying what we refuse.</summary>
internal static class OfficeSamples
{
    public const string DocumentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    public const string WorkbookType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
    public const string PresentationType = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";
    public const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>A Word 97-2003 document: FIB in WordDocument (fEncrypted as asked), a table stream, CompObj, an empty ObjectPool.</summary>
    public static CompoundFileWriter Doc(bool encrypted = false, int wordDocumentBytes = 1024, int sectorBytes = 512)
    {
        var fib = new byte[wordDocumentBytes];
        BinaryPrimitives.WriteUInt16LittleEndian(fib, 0xA5EC);
        BinaryPrimitives.WriteUInt16LittleEndian(fib.AsSpan(2), 0x00C1);
        fib[0x0B] = (byte)(encrypted ? 0x01 : 0x00);
        var writer = new CompoundFileWriter { SectorBytes = sectorBytes }
            .AddStream("WordDocument", fib)
            .AddStream("1Table", new byte[128])
            .AddStream("\u0001CompObj", CompObj("Microsoft Word 97-2003 Document", "Word.Document.8"))
            .AddStream("\u0005SummaryInformation", new byte[128]);
        writer.AddStorage("ObjectPool");
        return writer;
    }

    /// <summary>An Excel 97-2003 workbook: BOF, then the given extra globals records, one BOUNDSHEET of type <paramref name="sheetType"/>, EOF.</summary>
    public static CompoundFileWriter Xls(bool encrypted = false, byte sheetType = 0, int workbookBytes = 2048, int sectorBytes = 512, int minFatSectors = 0)
    {
        var records = new MemoryStream();
        Record(records, 0x0809, [0x00, 0x06, 0x05, 0x00, .. new byte[12]]);
        if (encrypted)
        {
            Record(records, 0x002F, [0x01, 0x00, .. new byte[52]]);
        }

        Record(records, 0x0085, [0, 0, 0, 0, 0, sheetType, 6, 0, .. "Sheet1"u8]);
        Record(records, 0x000A, []);
        var workbook = new byte[Math.Max(workbookBytes, (int)records.Length)];
        records.ToArray().CopyTo(workbook, 0);
        return new CompoundFileWriter { SectorBytes = sectorBytes, MinFatSectors = minFatSectors }
            .AddStream("Workbook", workbook)
            .AddStream("\u0001CompObj", CompObj("Microsoft Excel 2003 Worksheet", "Excel.Sheet.8"))
            .AddStream("\u0005SummaryInformation", new byte[256]);
    }

    /// <summary>A PowerPoint 97-2003 presentation: a DocumentContainer holding a DocumentAtom and whatever records are given.</summary>
    public static CompoundFileWriter Ppt(params (ushort Type, bool Container)[] records)
    {
        var inner = new MemoryStream();
        PptRecord(inner, 0x03E9, false, new byte[40]);
        foreach (var (type, container) in records)
        {
            PptRecord(inner, type, container, container ? [] : new byte[16]);
        }

        var document = new MemoryStream();
        PptRecord(document, 0x03E8, true, inner.ToArray());
        return new CompoundFileWriter()
            .AddStream("PowerPoint Document", document.ToArray())
            .AddStream("Current User", new byte[64])
            .AddStream("\u0005SummaryInformation", new byte[256]);
    }

    /// <summary>What Office writes for a password-protected .docx/.xlsx/.pptx: the encrypted package and how it was encrypted.</summary>
    public static byte[] EncryptedOoxml()
    {
        var writer = new CompoundFileWriter()
            .AddStream("EncryptionInfo", [0x04, 0x00, 0x04, 0x00, 0x40, 0x00, 0x00, 0x00, .. "<?xml version=\"1.0\"?><encryption/>"u8])
            .AddStream("EncryptedPackage", RandomBytes(6000));
        var dataSpaces = writer.AddStorage("\u0006DataSpaces");
        writer.AddStream("Version", new byte[76], dataSpaces);
        return writer.ToArray();
    }

    public static byte[] CompObj(string userType, string progId)
    {
        var stream = new MemoryStream();
        stream.Write([0x01, 0x00, 0xFE, 0xFF, 0x03, 0x0A, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, .. new byte[16]]);
        foreach (var value in new[] { userType, "", progId })
        {
            var bytes = Encoding.ASCII.GetBytes(value + "\0");
            stream.Write(BitConverter.GetBytes(bytes.Length));
            stream.Write(bytes);
        }

        return stream.ToArray();
    }

    /// <summary>An OOXML package of exactly these parts (names as in the ZIP, text as UTF-8).</summary>
    public static byte[] Zip(params (string Name, string Content)[] parts)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in parts)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return memory.ToArray();
    }

    /// <summary>
    /// A package whose main part is <paramref name="mainPart"/> of <paramref name="mainType"/>, with more content-type
    /// declarations, relationships from the main part and parts as given.
    /// </summary>
    public static byte[] Package(
        string mainPart = "word/document.xml",
        string mainType = DocumentType,
        string[]? declarations = null,
        string[]? mainRelationships = null,
        params (string Name, string Content)[] parts)
    {
        var folder = mainPart[..(mainPart.LastIndexOf('/') + 1)];
        var file = mainPart[(mainPart.LastIndexOf('/') + 1)..];
        List<(string, string)> all =
        [
            ("[Content_Types].xml", ContentTypes([$"""<Override PartName="/{mainPart}" ContentType="{mainType}"/>""", .. declarations ?? []])),
            ("_rels/.rels", Rels(Rel("rId1", "officeDocument", mainPart))),
            (mainPart, """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><root/>"""),
        ];
        if (mainRelationships is not null)
        {
            all.Add(($"{folder}_rels/{file}.rels", Rels(mainRelationships)));
        }

        all.AddRange(parts);
        return Zip([.. all]);
    }

    public static string ContentTypes(params string[] declarations) =>
        $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>{string.Concat(declarations)}</Types>""";

    public static string Rels(params string[] relationships) =>
        $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{string.Concat(relationships)}</Relationships>""";

    /// <summary>A relationship; a type without "://" is taken as one of the officeDocument relationship types.</summary>
    public static string Rel(string id, string type, string target, bool external = false) =>
        $"""<Relationship Id="{id}" Type="{(type.Contains("://", StringComparison.Ordinal) ? type : $"{Relationships}/{type}")}" Target="{target}"{(external ? " TargetMode=\"External\"" : "")}/>""";

    public static byte[] RandomBytes(int length, int seed = 3)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static void Record(MemoryStream stream, ushort type, byte[] body)
    {
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(header, type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)body.Length);
        stream.Write(header);
        stream.Write(body);
    }

    private static void PptRecord(MemoryStream stream, ushort type, bool container, byte[] body)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(container ? 0x000F : 0x0001));
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)body.Length);
        stream.Write(header);
        stream.Write(body);
    }
}
