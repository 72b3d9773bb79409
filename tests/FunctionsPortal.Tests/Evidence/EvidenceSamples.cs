using System.IO.Compression;
using System.Text;

namespace FunctionsPortal.Tests.Evidence;

/// <summary>Small real files of every accepted kind (and some refused ones), built in memory.</summary>
internal static class EvidenceSamples
{
    /// <summary>A 1×1 PNG (signature, IHDR, IDAT, IEND).</summary>
    public static byte[] Png { get; } = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>A 1×1 GIF89a.</summary>
    public static byte[] Gif { get; } = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    /// <summary>A 1×1 lossless WebP (RIFF container, VP8L chunk).</summary>
    public static byte[] Webp { get; } = Convert.FromBase64String("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");

    /// <summary>The start of a JFIF JPEG: SOI, the APP0 segment and EOI.</summary>
    public static byte[] Jpeg { get; } =
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
        0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9,
    ];

    /// <summary>A one-page PDF (header, catalog, pages, trailer).</summary>
    public static byte[] Pdf { get; } = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    /// <summary>The header sector of an OLE2 compound file, as Office 97-2003 (and encrypted OOXML) files start.</summary>
    public static byte[] Ole2 { get; } = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[16], 0x3E, 0x00, 0x03, 0x00, 0xFE, 0xFF, 0x09, 0x00, .. new byte[480]];

    /// <summary>A Windows executable's DOS header ("MZ", then the stub's fields, NULs included).</summary>
    public static byte[] Exe { get; } = [(byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, .. new byte[48]];

    public static byte[] Elf { get; } = [0x7F, (byte)'E', (byte)'L', (byte)'F', 0x02, 0x01, 0x01, 0x00, .. new byte[56]];

    public static byte[] Docx() => Ooxml("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml");

    public static byte[] Xlsx() => Ooxml("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");

    public static byte[] Pptx() => Ooxml("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml");

    /// <summary>
    /// An OOXML package in Office's entry order ([Content_Types].xml, _rels/.rels, the main part), optionally preceded
    /// by a large incompressible entry so the first 8 KiB cannot tell which application it belongs to.
    /// </summary>
    public static byte[] Ooxml(string mainPart, string mainContentType, int leadingBytes = 0, params string[] extraEntries)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            if (leadingBytes > 0)
            {
                var noise = new byte[leadingBytes];
                new Random(7).NextBytes(noise);
                using var stream = archive.CreateEntry("docProps/thumbnail.jpeg", CompressionLevel.NoCompression).Open();
                stream.Write(noise);
            }

            Write(archive, "[Content_Types].xml",
                $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/{mainPart}" ContentType="{mainContentType}"/></Types>""");
            Write(archive, "_rels/.rels",
                $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{mainPart}"/></Relationships>""");
            Write(archive, mainPart, """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><root/>""");
            foreach (var entry in extraEntries)
            {
                Write(archive, entry, "x");
            }
        }

        return memory.ToArray();
    }

    /// <summary>A ZIP that is not an Office document.</summary>
    public static byte[] PlainZip()
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(archive, "notes.txt", "hello");
        }

        return memory.ToArray();
    }

    /// <summary><paramref name="length"/> bytes starting with a PDF header (the rest random), for size tests.</summary>
    public static byte[] PdfOfLength(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private static void Write(ZipArchive archive, string name, string content)
    {
        using var writer = new StreamWriter(archive.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}

/// <summary>A forward-only upload body, like a request stream: counts what was read so tests can see reading stop early.</summary>
internal sealed class UploadStream(byte[] data) : Stream
{
    private int _position;

    public int BytesRead => _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Short reads on purpose (at most 5000 bytes), as a network stream gives them.
        var count = Math.Min(Math.Min(buffer.Length, 5000), data.Length - _position);
        data.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
