using System.IO.Compression;
using System.Xml;

namespace FunctionsPortal.Evidence;

/// <summary>
/// Judges an OOXML package (.docx/.xlsx/.pptx) the way Office reads it: by <c>[Content_Types].xml</c> and the
/// relationship parts, not by part names. Refuses macro, ActiveX and OLE content wherever it is declared, links
/// Office would follow on opening (anything external but a hyperlink), and packages that unpack to more than it
/// will decompress. Embedded Office packages (a chart's workbook) are judged by the same rules, one level deep.
/// </summary>
internal sealed class OfficePackageInspector
{
    /// <summary>Far more parts than a real document has; a ZIP with more is refused before anything is read.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>The most one XML part we read ([Content_Types].xml, a .rels part) may unpack to.</summary>
    public const int MaxXmlPartBytes = 8 * 1024 * 1024;

    /// <summary>Parts above this size that compress more than <see cref="MaxRatio"/>:1 are refused as a suspected ZIP bomb.</summary>
    public const long RatioCheckBytes = 1024 * 1024;

    public const int MaxRatio = 100;

    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";

    /// <summary>The only relationship types allowed to point outside the package (transitional and strict spellings).</summary>
    private static readonly HashSet<string> HyperlinkTypes = new(
        ["http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink"],
        StringComparer.Ordinal);

    /// <summary>Relationship types by their last segment, whatever namespace carries them (Microsoft's and ISO's).</summary>
    private static readonly HashSet<string> MacroRelationships = new(
        ["vbaProject", "vbaProjectSignature", "vbaProjectSignatureAgile", "vbaProjectSignatureV3", "wordVbaData", "vbaData", "xlMacrosheet", "xlIntlMacrosheet"],
        StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> ActiveXRelationships = new(["activeXControl", "activeXControlBinary", "control"], StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, DetectedType> MainPartTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"] = FileTypeSniffer.Docx,
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"] = FileTypeSniffer.Xlsx,
        ["application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"] = FileTypeSniffer.Pptx,
    };

    /// <summary>Content types of a whole embedded package (a part that is itself a .docx/.xlsx/.pptx).</summary>
    private static readonly HashSet<string> EmbeddedPackageTypes = new(
        [.. MainPartTypes.Values.Select(type => type.ContentType)],
        StringComparer.OrdinalIgnoreCase);

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxXmlPartBytes,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    /// <summary>What may still be decompressed, across the package and whatever is embedded in it.</summary>
    private long _unpackedBudget;

    private OfficePackageInspector(long maxUnpackedBytes) => _unpackedBudget = maxUnpackedBytes;

    /// <summary>The package's type (from its main part's content type), or why it is refused. The stream must be seekable.</summary>
    public static async Task<SniffResult> InspectAsync(Stream content, long maxUnpackedBytes, CancellationToken cancellationToken)
    {
        try
        {
            return await new OfficePackageInspector(maxUnpackedBytes).InspectPackageAsync(content, embedded: false, cancellationToken);
        }
        // Corrupt deflate data, an unknown compression method, a DTD or malformed XML: all just a file we cannot read.
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException or XmlException)
        {
            return SniffRefusals.Damaged();
        }
    }

    private async Task<SniffResult> InspectPackageAsync(Stream content, bool embedded, CancellationToken cancellationToken)
    {
        await using var archive = await ZipArchive.CreateAsync(content, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        if (archive.Entries.Count > MaxEntries)
        {
            return SniffRefusals.TooComplex();
        }

        var parts = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
        long declared = 0;
        foreach (var entry in archive.Entries)
        {
            // Part names are case-insensitive (OPC): two entries differing only in case are two answers to one name.
            if (!IsSafePartName(entry.FullName) || (!entry.FullName.EndsWith('/') && !parts.TryAdd(entry.FullName, entry)))
            {
                return SniffRefusals.Damaged();
            }

            declared += entry.Length;
            if (declared > _unpackedBudget || (entry.Length > RatioCheckBytes && entry.Length / Math.Max(1, entry.CompressedLength) > MaxRatio))
            {
                return SniffRefusals.TooComplex();
            }
        }

        // "a.xml" and "a.xml/b.xml" cannot both be parts (OPC forbids it), and an extractor would turn one into a folder.
        if (parts.Keys.Any(name => Enumerable.Range(1, name.Length - 1).Any(i => name[i] == '/' && parts.ContainsKey(name[..i]))))
        {
            return SniffRefusals.Damaged();
        }

        if (!parts.TryGetValue("[Content_Types].xml", out var contentTypesPart))
        {
            return SniffRefusals.Unsupported();
        }

        var contentTypes = await ContentTypes.ReadAsync(this, contentTypesPart, cancellationToken);
        if (contentTypes is null)
        {
            return SniffRefusals.TooComplex();
        }

        if (contentTypes.All.Select(Classify).FirstOrDefault(refusal => refusal is not null) is { } declaredRefusal)
        {
            return declaredRefusal;
        }

        DetectedType? main = null;
        var packages = new List<string>();
        foreach (var (relsName, relsPart) in parts.Where(part => IsRelationshipsPart(part.Key)))
        {
            var relationships = await ReadRelationshipsAsync(relsPart, cancellationToken);
            if (relationships is null)
            {
                return SniffRefusals.TooComplex();
            }

            foreach (var relationship in relationships)
            {
                var kind = relationship.Type[(relationship.Type.LastIndexOf('/') + 1)..];
                if (relationship.External && !HyperlinkTypes.Contains(relationship.Type))
                {
                    return SniffRefusals.ExternalLinks();
                }

                if (MacroRelationships.Contains(kind))
                {
                    return SniffRefusals.Macros();
                }

                if (ActiveXRelationships.Contains(kind))
                {
                    return SniffRefusals.ActiveX();
                }

                if (kind.Equals("oleObject", StringComparison.OrdinalIgnoreCase))
                {
                    return SniffRefusals.Embedded();
                }

                if (relationship.External)
                {
                    continue;
                }

                var target = ResolveTarget(relsName, relationship.Target) ?? throw new InvalidDataException($"Relationship target {relationship.Target} leaves the package.");
                if (kind.Equals("package", StringComparison.OrdinalIgnoreCase))
                {
                    packages.Add(target);
                }
                else if (kind.Equals("officeDocument", StringComparison.OrdinalIgnoreCase) && relsName.Equals("_rels/.rels", StringComparison.OrdinalIgnoreCase))
                {
                    if (main is not null || !MainPartTypes.TryGetValue(contentTypes.Of(target) ?? "", out var type))
                    {
                        return SniffRefusals.Unsupported();
                    }

                    main = type;
                }
            }
        }

        if (main is null)
        {
            return SniffRefusals.Unsupported();
        }

        foreach (var package in packages)
        {
            var verdict = await InspectEmbeddedAsync(parts, contentTypes, package, embedded, cancellationToken);
            if (!verdict.Accepted)
            {
                return verdict;
            }
        }

        return SniffResult.Accept(main);
    }

    /// <summary>A chart's data or an embedded workbook: an Office package judged like the outer one; anything else, or deeper nesting, is refused.</summary>
    private async Task<SniffResult> InspectEmbeddedAsync(
        Dictionary<string, ZipArchiveEntry> parts, ContentTypes contentTypes, string name, bool embedded, CancellationToken cancellationToken)
    {
        if (!parts.TryGetValue(name, out var part))
        {
            return SniffRefusals.Damaged();
        }

        if (embedded || !EmbeddedPackageTypes.Contains(contentTypes.Of(name) ?? ""))
        {
            return SniffRefusals.Embedded();
        }

        await using var inner = await UnpackAsync(part, _unpackedBudget, cancellationToken);
        if (inner is null)
        {
            return SniffRefusals.TooComplex();
        }

        return await InspectPackageAsync(inner, embedded: true, cancellationToken);
    }

    /// <summary>Refuses a declared content type wherever it appears (Default or Override), whichever part it is given to.</summary>
    private static SniffResult? Classify(string contentType)
    {
        var type = contentType.Trim();
        if (type.Contains("macroEnabled", StringComparison.OrdinalIgnoreCase) || type.Contains("vbaProject", StringComparison.OrdinalIgnoreCase)
            || type.Contains("vbaData", StringComparison.OrdinalIgnoreCase) || type.Contains("macrosheet", StringComparison.OrdinalIgnoreCase))
        {
            return SniffRefusals.Macros();
        }

        if (type.Contains("activeX", StringComparison.OrdinalIgnoreCase))
        {
            return SniffRefusals.ActiveX();
        }

        return type.Equals("application/vnd.openxmlformats-officedocument.oleObject", StringComparison.OrdinalIgnoreCase) ? SniffRefusals.Embedded() : null;
    }

    private static bool IsSafePartName(string name) =>
        name.Length > 0 && name[0] != '/' && !name.Contains('\\', StringComparison.Ordinal) && !name.Contains(':', StringComparison.Ordinal) && !name.Any(char.IsControl)
        && name.TrimEnd('/').Split('/').All(segment => segment.Length > 0 && segment is not ("." or ".."));

    /// <summary>Relationship parts are named by convention: <c>_rels/x.rels</c> beside the part they describe (or at the root for the package).</summary>
    private static bool IsRelationshipsPart(string name)
    {
        var slash = name.LastIndexOf('/');
        var folder = slash < 0 ? "" : name[..slash];
        return name.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)
            && (folder.Equals("_rels", StringComparison.OrdinalIgnoreCase) || folder.EndsWith("/_rels", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The part a relationship's internal target names: relative to the folder of the part the .rels describes
    /// (<c>word/_rels/document.xml.rels</c> describes <c>word/document.xml</c>), or absolute when it starts with '/'.
    /// Null when it climbs out of the package.
    /// </summary>
    internal static string? ResolveTarget(string relsName, string target)
    {
        var path = Uri.UnescapeDataString(target.Split('#', 2)[0]);
        var relsFolder = relsName.LastIndexOf('/') is var slash and >= 0 ? relsName[..slash] : "";
        var sourceFolder = relsFolder.Length > "_rels".Length ? relsFolder[..^"/_rels".Length] : "";
        var segments = new List<string>();
        foreach (var segment in (path.StartsWith('/') ? path : $"{sourceFolder}/{path}").Split('/'))
        {
            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
            }
            else if (segment is not ("" or "."))
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>The relationships a .rels part declares; null when it unpacks to more than we read.</summary>
    private async Task<List<Relationship>?> ReadRelationshipsAsync(ZipArchiveEntry part, CancellationToken cancellationToken)
    {
        var relationships = new List<Relationship>();
        await using var xml = await UnpackAsync(part, MaxXmlPartBytes, cancellationToken);
        if (xml is null)
        {
            return null;
        }

        using var reader = XmlReader.Create(xml, XmlSettings);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.NamespaceURI == RelationshipsNamespace)
            {
                relationships.Add(new Relationship(
                    reader.GetAttribute("Type") ?? "",
                    reader.GetAttribute("Target") ?? "",
                    string.Equals(reader.GetAttribute("TargetMode"), "External", StringComparison.OrdinalIgnoreCase)));
            }
        }

        return relationships;
    }

    /// <summary>
    /// A part's bytes in memory, counting what is really decompressed (not what the ZIP header claims) against both
    /// <paramref name="maxBytes"/> and the package's budget; null when either would be passed.
    /// </summary>
    private async Task<MemoryStream?> UnpackAsync(ZipArchiveEntry part, long maxBytes, CancellationToken cancellationToken)
    {
        var limit = Math.Min(maxBytes, _unpackedBudget);
        var memory = new MemoryStream();
        await using var stream = await part.OpenAsync(cancellationToken);
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (memory.Length + read > limit)
            {
                await memory.DisposeAsync();
                return null;
            }

            memory.Write(buffer, 0, read);
        }

        _unpackedBudget -= memory.Length;
        memory.Position = 0;
        return memory;
    }

    private readonly record struct Relationship(string Type, string Target, bool External);

    /// <summary>[Content_Types].xml: a content type per extension (Default) and per part (Override, which wins).</summary>
    private sealed class ContentTypes
    {
        private const string Namespace = "http://schemas.openxmlformats.org/package/2006/content-types";

        private readonly Dictionary<string, string> _defaults = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string> _overrides = new(StringComparer.OrdinalIgnoreCase);

        public IEnumerable<string> All => _defaults.Values.Concat(_overrides.Values);

        /// <summary>The content type of a part (its name without the leading '/'), or null when none is declared.</summary>
        public string? Of(string partName)
        {
            if (_overrides.TryGetValue("/" + partName, out var type))
            {
                return type;
            }

            var dot = partName.LastIndexOf('.');
            return dot >= 0 && partName.LastIndexOf('/') < dot && _defaults.TryGetValue(partName[(dot + 1)..], out type) ? type : null;
        }

        /// <summary>The declarations; null when the part unpacks to more than we read. Declaring one name twice is damage.</summary>
        public static async Task<ContentTypes?> ReadAsync(OfficePackageInspector inspector, ZipArchiveEntry part, CancellationToken cancellationToken)
        {
            var types = new ContentTypes();
            await using var xml = await inspector.UnpackAsync(part, MaxXmlPartBytes, cancellationToken);
            if (xml is null)
            {
                return null;
            }

            using var reader = XmlReader.Create(xml, XmlSettings);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != Namespace)
                {
                    continue;
                }

                var contentType = reader.GetAttribute("ContentType") ?? "";
                var added = reader.LocalName switch
                {
                    "Default" => types._defaults.TryAdd(reader.GetAttribute("Extension") ?? "", contentType),
                    "Override" => types._overrides.TryAdd(Uri.UnescapeDataString(reader.GetAttribute("PartName") ?? ""), contentType),
                    _ => true,
                };
                if (!added)
                {
                    throw new InvalidDataException("[Content_Types].xml declares one name twice.");
                }
            }

            return types;
        }
    }
}
