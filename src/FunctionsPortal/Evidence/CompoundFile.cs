using System.Buffers.Binary;
using System.Text;

namespace FunctionsPortal.Evidence;

/// <summary>
/// A read-only view of a compound file (MS-CFB: the OLE2 container of .doc/.xls/.ppt and of encrypted OOXML): header,
/// FAT through the DIFAT, directory and mini stream. Built for hostile input: every sector index is checked against the
/// file's real length, every chain is cut off at the number of sectors the file has (so a loop ends), nothing is
/// allocated from a declared size before that size is checked, and anything malformed ends in
/// <see cref="InvalidDataException"/>, which callers turn into a "damaged file" refusal.
/// </summary>
internal sealed class CompoundFile
{
    /// <summary>More directory entries than any real Office file has; beyond it the file is refused rather than walked.</summary>
    public const int MaxEntries = 20_000;

    private const int HeaderBytes = 512;
    private const int HeaderDifatEntries = 109;
    private const int EntryBytes = 128;
    private const int MiniSectorBytes = 64;
    private const uint MiniStreamCutoff = 4096;
    private const uint MaxRegularSector = 0xFFFFFFFA;
    private const uint EndOfChain = 0xFFFFFFFE;
    private const uint FreeSector = 0xFFFFFFFF;
    private const uint NoStream = 0xFFFFFFFF;

    private readonly Stream _content;
    private readonly long _length;
    private readonly int _sectorBytes;
    private readonly long _sectorCount;
    private readonly uint[] _fat;
    private uint[] _miniFat = [];
    private List<uint> _miniStreamSectors = [];
    private long _miniStreamSize;

    private CompoundFile(Stream content, int sectorBytes, uint[] fat)
    {
        _content = content;
        _length = content.Length;
        _sectorBytes = sectorBytes;
        _sectorCount = (_length - sectorBytes + sectorBytes - 1) / sectorBytes;
        _fat = fat;
    }

    public IReadOnlyList<CompoundFileEntry> Entries { get; private set; } = [];

    private static ReadOnlySpan<byte> Signature => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>Reads the structure of the compound file in the seekable <paramref name="content"/> (from its start).</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed compound file.</exception>
    public static async Task<CompoundFile> OpenAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var length = content.Length;
        if (length < HeaderBytes)
        {
            throw Damaged("shorter than its header");
        }

        var header = new byte[HeaderBytes];
        await ReadAtAsync(content, 0, header, cancellationToken);
        var h = header.AsSpan();
        var major = BinaryPrimitives.ReadUInt16LittleEndian(h[0x1A..]);
        var sectorShift = BinaryPrimitives.ReadUInt16LittleEndian(h[0x1E..]);
        if (!h.StartsWith(Signature) || BinaryPrimitives.ReadUInt16LittleEndian(h[0x1C..]) != 0xFFFE
            || !((major == 3 && sectorShift == 9) || (major == 4 && sectorShift == 12))
            || BinaryPrimitives.ReadUInt16LittleEndian(h[0x20..]) != 6
            || BinaryPrimitives.ReadUInt32LittleEndian(h[0x38..]) != MiniStreamCutoff)
        {
            throw Damaged("bad header");
        }

        var sectorBytes = 1 << sectorShift;
        if (length < sectorBytes)
        {
            throw Damaged("shorter than its header sector");
        }

        var sectorCount = (length - sectorBytes + sectorBytes - 1) / sectorBytes;
        var fatSectorCount = BinaryPrimitives.ReadUInt32LittleEndian(h[0x2C..]);
        var difatSectorCount = BinaryPrimitives.ReadUInt32LittleEndian(h[0x48..]);
        if (fatSectorCount == 0 || fatSectorCount > sectorCount || difatSectorCount > sectorCount)
        {
            throw Damaged("sector counts beyond the file");
        }

        var fatSectors = await FatSectorsAsync(content, header, sectorBytes, sectorCount, (int)fatSectorCount, (int)difatSectorCount, cancellationToken);
        var perSector = sectorBytes / 4;
        var fatBytes = new byte[(long)fatSectors.Count * sectorBytes];
        for (var i = 0; i < fatSectors.Count; i++)
        {
            await ReadAtAsync(content, SectorOffset(fatSectors[i], sectorBytes, sectorCount), fatBytes.AsMemory(i * sectorBytes, sectorBytes), cancellationToken);
        }

        var fat = new uint[fatSectors.Count * perSector];
        for (var i = 0; i < fat.Length; i++)
        {
            fat[i] = BinaryPrimitives.ReadUInt32LittleEndian(fatBytes.AsSpan(i * 4));
            if (i >= sectorCount && fat[i] != FreeSector)
            {
                // The FAT uses a sector the file does not have: it was cut short.
                throw Damaged("FAT uses sectors past the end of the file");
            }
        }

        var file = new CompoundFile(content, sectorBytes, fat);
        await file.ReadDirectoryAsync(BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x30)), major, cancellationToken);
        await file.ReadMiniFatAsync(BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x3C)), cancellationToken);
        return file;
    }

    /// <summary>The entries directly inside <paramref name="storage"/>.</summary>
    public IEnumerable<CompoundFileEntry> ChildrenOf(CompoundFileEntry storage) => Entries.Where(entry => entry.Parent == storage.Index);

    /// <summary>
    /// The first <paramref name="maxBytes"/> bytes of a stream (all of it when shorter), following its sector chain.
    /// The buffer is sized by what the caller allows and the file can hold, never by the declared size alone.
    /// </summary>
    /// <exception cref="InvalidDataException">The chain is broken, loops, or leaves the file before the bytes are read.</exception>
    public async Task<byte[]> ReadStreamAsync(CompoundFileEntry entry, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Kind != CompoundFileEntryKind.Stream)
        {
            throw Damaged("not a stream");
        }

        var mini = entry.Size < MiniStreamCutoff;
        if (entry.Size > (mini ? _miniStreamSize : _length))
        {
            throw Damaged("stream larger than the file");
        }

        // The whole chain must cover the declared size (a truncated file ends early), though only the prefix is read.
        var unit = mini ? MiniSectorBytes : _sectorBytes;
        var needed = (entry.Size + unit - 1) / unit;
        var sectors = new List<uint>();
        foreach (var sector in needed == 0 ? [] : Chain(mini ? _miniFat : _fat, entry.StartSector, mini ? (_miniStreamSize + MiniSectorBytes - 1) / MiniSectorBytes : _sectorCount))
        {
            if (sectors.Count == needed)
            {
                break;
            }

            sectors.Add(sector);
        }

        if (sectors.Count < needed)
        {
            throw Damaged("stream chain shorter than its size");
        }

        var data = new byte[(int)Math.Min(entry.Size, maxBytes)];
        for (var (i, read) = (0, 0); read < data.Length; i++)
        {
            var take = Math.Min(unit, data.Length - read);
            var offset = mini ? MiniSectorOffset(sectors[i], take) : SectorOffset(sectors[i], _sectorBytes, _sectorCount);
            await ReadAtAsync(_content, offset, data.AsMemory(read, take), cancellationToken);
            read += take;
        }

        return data;
    }

    private static async Task<List<uint>> FatSectorsAsync(
        Stream content, byte[] header, int sectorBytes, long sectorCount, int fatSectorCount, int difatSectorCount, CancellationToken cancellationToken)
    {
        var sectors = new List<uint>(fatSectorCount);
        for (var i = 0; i < HeaderDifatEntries && sectors.Count < fatSectorCount; i++)
        {
            sectors.Add(BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x4C + i * 4)));
        }

        // Files with more than 109 FAT sectors list the rest in DIFAT sectors, each ending with the next one's index.
        var next = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x44));
        var difat = new byte[sectorBytes];
        for (var i = 0; i < difatSectorCount && sectors.Count < fatSectorCount; i++)
        {
            await ReadAtAsync(content, SectorOffset(next, sectorBytes, sectorCount), difat, cancellationToken);
            for (var j = 0; j < sectorBytes / 4 - 1 && sectors.Count < fatSectorCount; j++)
            {
                sectors.Add(BinaryPrimitives.ReadUInt32LittleEndian(difat.AsSpan(j * 4)));
            }

            next = BinaryPrimitives.ReadUInt32LittleEndian(difat.AsSpan(sectorBytes - 4));
        }

        return sectors.Count == fatSectorCount ? sectors : throw Damaged("DIFAT lists fewer FAT sectors than the header says");
    }

    private async Task ReadDirectoryAsync(uint firstSector, int major, CancellationToken cancellationToken)
    {
        var perSector = _sectorBytes / EntryBytes;
        var sectors = new List<uint>();
        foreach (var sector in Chain(_fat, firstSector, _sectorCount))
        {
            sectors.Add(sector);
            if ((long)sectors.Count * perSector > MaxEntries)
            {
                throw Damaged("too many directory entries");
            }
        }

        var bytes = new byte[sectors.Count * _sectorBytes];
        for (var i = 0; i < sectors.Count; i++)
        {
            await ReadAtAsync(_content, SectorOffset(sectors[i], _sectorBytes, _sectorCount), bytes.AsMemory(i * _sectorBytes, _sectorBytes), cancellationToken);
        }

        var raw = new List<RawEntry>(sectors.Count * perSector);
        for (var offset = 0; offset < bytes.Length; offset += EntryBytes)
        {
            raw.Add(RawEntry.Parse(bytes.AsSpan(offset, EntryBytes), major));
        }

        if (raw.Count == 0 || raw[0].Kind != CompoundFileEntryKind.Root)
        {
            throw Damaged("no root entry");
        }

        var parents = Parents(raw);
        Entries = [.. raw.Select((entry, index) => new CompoundFileEntry(
            index, entry.Name, entry.Kind, parents[index], entry.Kind is CompoundFileEntryKind.Storage or CompoundFileEntryKind.Root && entry.Child != NoStream, entry.Start, entry.Size))];
    }

    private async Task ReadMiniFatAsync(uint firstSector, CancellationToken cancellationToken)
    {
        var sectors = Chain(_fat, firstSector, _sectorCount).ToList();
        var bytes = new byte[sectors.Count * _sectorBytes];
        for (var i = 0; i < sectors.Count; i++)
        {
            await ReadAtAsync(_content, SectorOffset(sectors[i], _sectorBytes, _sectorCount), bytes.AsMemory(i * _sectorBytes, _sectorBytes), cancellationToken);
        }

        _miniFat = new uint[bytes.Length / 4];
        for (var i = 0; i < _miniFat.Length; i++)
        {
            _miniFat[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4));
        }

        // The mini stream (where streams under 4 KiB live) is the root entry's data.
        var root = Entries[0];
        _miniStreamSectors = root.Size == 0 ? [] : [.. Chain(_fat, root.StartSector, _sectorCount)];
        _miniStreamSize = root.Size;
        if (_miniStreamSize > (long)_miniStreamSectors.Count * _sectorBytes)
        {
            throw Damaged("mini stream larger than its chain");
        }
    }

    /// <summary>Walks the storages' sibling trees from the root: each entry reached once (twice means a loop), parents recorded.</summary>
    private static int[] Parents(List<RawEntry> raw)
    {
        var parents = Enumerable.Repeat(-1, raw.Count).ToArray();
        var visited = new bool[raw.Count];
        visited[0] = true;
        var pending = new Stack<(uint Index, int Parent)>();
        pending.Push((raw[0].Child, 0));
        while (pending.TryPop(out var item))
        {
            if (item.Index == NoStream)
            {
                continue;
            }

            if (item.Index >= raw.Count || visited[item.Index] || raw[(int)item.Index].Kind is CompoundFileEntryKind.Unused or CompoundFileEntryKind.Root)
            {
                throw Damaged("directory tree loops or points outside the directory");
            }

            var index = (int)item.Index;
            var entry = raw[index];
            visited[index] = true;
            parents[index] = item.Parent;
            pending.Push((entry.Left, item.Parent));
            pending.Push((entry.Right, item.Parent));
            if (entry.Kind == CompoundFileEntryKind.Storage)
            {
                pending.Push((entry.Child, index));
            }
        }

        return parents;
    }

    /// <summary>A sector chain, ending in an error on an index outside the table or the file, or after more links than sectors (a loop).</summary>
    private static IEnumerable<uint> Chain(uint[] table, uint start, long limit)
    {
        var sector = start;
        long steps = 0;
        while (sector != EndOfChain)
        {
            if (sector > MaxRegularSector || sector >= table.Length || sector >= limit || ++steps > limit)
            {
                throw Damaged("sector chain leaves the file or loops");
            }

            yield return sector;
            sector = table[sector];
        }
    }

    private long MiniSectorOffset(uint miniSector, int take)
    {
        var position = (long)miniSector * MiniSectorBytes;
        if (position + take > _miniStreamSize)
        {
            throw Damaged("mini sector outside the mini stream");
        }

        return SectorOffset(_miniStreamSectors[(int)(position / _sectorBytes)], _sectorBytes, _sectorCount) + position % _sectorBytes;
    }

    private static long SectorOffset(uint sector, int sectorBytes, long sectorCount) =>
        sector < sectorCount ? (sector + 1L) * sectorBytes : throw Damaged("sector outside the file");

    /// <summary>Reads exactly <paramref name="target"/>'s length at <paramref name="offset"/>; past the end of the file is damage, not a short read.</summary>
    private static async Task ReadAtAsync(Stream content, long offset, Memory<byte> target, CancellationToken cancellationToken)
    {
        if (offset < 0 || offset + target.Length > content.Length)
        {
            throw Damaged("read past the end of the file");
        }

        content.Position = offset;
        await content.ReadExactlyAsync(target, cancellationToken);
    }

    private static InvalidDataException Damaged(string what) => new($"Compound file: {what}.");

    private readonly record struct RawEntry(string Name, CompoundFileEntryKind Kind, uint Left, uint Right, uint Child, uint Start, long Size)
    {
        public static RawEntry Parse(ReadOnlySpan<byte> entry, int major)
        {
            var kind = (CompoundFileEntryKind)entry[0x42];
            if (kind is not (CompoundFileEntryKind.Unused or CompoundFileEntryKind.Storage or CompoundFileEntryKind.Stream or CompoundFileEntryKind.Root))
            {
                throw Damaged("unknown directory entry type");
            }

            var nameBytes = BinaryPrimitives.ReadUInt16LittleEndian(entry[0x40..]);
            if (kind != CompoundFileEntryKind.Unused && (nameBytes < 2 || nameBytes > 64 || nameBytes % 2 != 0))
            {
                throw Damaged("bad entry name length");
            }

            var name = kind == CompoundFileEntryKind.Unused ? "" : Encoding.Unicode.GetString(entry[..(nameBytes - 2)]);
            // Version 3 files may leave garbage in the size's high half (MS-CFB 2.6.3): only the low 32 bits count there.
            var size = major == 3 ? BinaryPrimitives.ReadUInt32LittleEndian(entry[0x78..]) : BinaryPrimitives.ReadInt64LittleEndian(entry[0x78..]);
            if (size < 0)
            {
                throw Damaged("negative stream size");
            }

            return new RawEntry(name, kind,
                BinaryPrimitives.ReadUInt32LittleEndian(entry[0x44..]),
                BinaryPrimitives.ReadUInt32LittleEndian(entry[0x48..]),
                BinaryPrimitives.ReadUInt32LittleEndian(entry[0x4C..]),
                BinaryPrimitives.ReadUInt32LittleEndian(entry[0x74..]),
                size);
        }
    }
}
