using System.Buffers.Binary;
using System.Text;

namespace FunctionsPortal.Tests.Evidence;

/// <summary>
/// Lays out a compound file (MS-CFB) as Office does: header, FAT (with DIFAT sectors when there are more than 109 FAT
/// sectors), directory, mini FAT and mini stream for streams under 4 KiB, regular sectors for the rest. Each storage's
/// children hang off its child link as a chain of right siblings in CFB name order, a valid (if unbalanced) tree.
/// </summary>
internal sealed class CompoundFileWriter
{
    public const uint EndOfChain = 0xFFFFFFFE;
    private const uint FreeSector = 0xFFFFFFFF;
    private const uint FatSector = 0xFFFFFFFD;
    private const uint DifatSector = 0xFFFFFFFC;
    private const uint NoStream = 0xFFFFFFFF;
    private const int MiniSectorBytes = 64;
    private const int MiniStreamCutoff = 4096;

    private readonly List<Node> _nodes = [new("Root Entry", 5, -1, [])];

    /// <summary>512 (version 3) or 4096 (version 4).</summary>
    public int SectorBytes { get; init; } = 512;

    /// <summary>At least this many FAT sectors (padding with free entries), to make a small file need DIFAT sectors.</summary>
    public int MinFatSectors { get; init; }

    public int AddStorage(string name, int parent = 0)
    {
        _nodes.Add(new Node(name, 1, parent, []));
        return _nodes.Count - 1;
    }

    public CompoundFileWriter AddStream(string name, byte[] data, int parent = 0)
    {
        _nodes.Add(new Node(name, 2, parent, data));
        return this;
    }

    public byte[] ToArray()
    {
        var s = SectorBytes;
        var perSector = s / 4;

        // Streams under the cutoff go to the mini stream, 64-byte mini sectors each.
        var miniStart = new Dictionary<int, uint>();
        var mini = new MemoryStream();
        var miniFat = new List<uint>();
        for (var i = 1; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            if (node.Type != 2 || node.Data.Length >= MiniStreamCutoff || node.Data.Length == 0)
            {
                continue;
            }

            var first = (uint)miniFat.Count;
            var count = (node.Data.Length + MiniSectorBytes - 1) / MiniSectorBytes;
            for (var j = 0; j < count; j++)
            {
                miniFat.Add(j == count - 1 ? EndOfChain : first + (uint)j + 1);
            }

            miniStart[i] = first;
            mini.Write(node.Data);
            mini.Write(new byte[count * MiniSectorBytes - node.Data.Length]);
        }

        var large = Enumerable.Range(1, _nodes.Count - 1).Where(i => _nodes[i].Type == 2 && _nodes[i].Data.Length >= MiniStreamCutoff).ToList();
        var dirSectors = Ceiling(_nodes.Count * 128, s);
        var miniFatSectors = Ceiling(miniFat.Count * 4, s);
        var miniStreamSectors = Ceiling((int)mini.Length, s);
        var other = dirSectors + miniFatSectors + miniStreamSectors + large.Sum(i => Ceiling(_nodes[i].Data.Length, s));
        int fat = Math.Max(1, MinFatSectors), difat = 0;
        while (true)
        {
            var neededFat = Math.Max(MinFatSectors, Ceiling(other + fat + difat, perSector));
            var neededDifat = neededFat > 109 ? Ceiling(neededFat - 109, perSector - 1) : 0;
            if (neededFat <= fat && neededDifat == difat)
            {
                break;
            }

            (fat, difat) = (Math.Max(fat, neededFat), neededDifat);
        }

        var total = fat + difat + other;
        var table = Enumerable.Repeat(FreeSector, fat * perSector).ToArray();
        var next = 0;
        for (var i = 0; i < fat; i++)
        {
            table[next++] = FatSector;
        }

        for (var i = 0; i < difat; i++)
        {
            table[next++] = DifatSector;
        }

        var firstDir = Chain(table, ref next, dirSectors);
        var firstMiniFat = Chain(table, ref next, miniFatSectors);
        var firstMiniStream = Chain(table, ref next, miniStreamSectors);
        var largeStart = large.ToDictionary(i => i, i => Chain(table, ref next, Ceiling(_nodes[i].Data.Length, s)));

        var body = new byte[(long)total * s];
        Span<byte> Sector(int index) => body.AsSpan(index * s, s);
        for (var i = 0; i < table.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(Sector(i / perSector)[(i % perSector * 4)..], table[i]);
        }

        // DIFAT sectors: the FAT sectors past the header's 109, the last slot linking to the next DIFAT sector.
        for (var d = 0; d < difat; d++)
        {
            var sector = Sector(fat + d);
            sector.Fill(0xFF);
            for (var j = 0; j < perSector - 1; j++)
            {
                var fatIndex = 109 + d * (perSector - 1) + j;
                if (fatIndex < fat)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(sector[(j * 4)..], (uint)fatIndex);
                }
            }

            BinaryPrimitives.WriteUInt32LittleEndian(sector[(s - 4)..], d == difat - 1 ? EndOfChain : (uint)(fat + d + 1));
        }

        WriteDirectory(body.AsSpan((int)firstDir * s, dirSectors * s), miniStart, largeStart, firstMiniStream, mini.Length);
        var miniFatBytes = body.AsSpan(miniFatSectors == 0 ? 0 : (int)firstMiniFat * s, miniFatSectors * s);
        miniFatBytes.Fill(0xFF);
        for (var i = 0; i < miniFat.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(miniFatBytes[(i * 4)..], miniFat[i]);
        }

        mini.ToArray().CopyTo(body.AsSpan(miniStreamSectors == 0 ? 0 : (int)firstMiniStream * s));
        foreach (var (index, start) in largeStart)
        {
            _nodes[index].Data.CopyTo(body.AsSpan((int)start * s));
        }

        var header = new byte[s];
        WriteHeader(header, fat, difat, dirSectors, firstDir, miniFatSectors, firstMiniFat);
        return [.. header, .. body];
    }

    private static int Ceiling(int value, int unit) => (value + unit - 1) / unit;

    /// <summary>Gives <paramref name="count"/> consecutive sectors from <paramref name="next"/> a chain in the FAT; the first, or end-of-chain for none.</summary>
    private static uint Chain(uint[] table, ref int next, int count)
    {
        if (count == 0)
        {
            return EndOfChain;
        }

        var first = (uint)next;
        for (var i = 0; i < count; i++, next++)
        {
            table[next] = i == count - 1 ? EndOfChain : (uint)next + 1;
        }

        return first;
    }

    private void WriteHeader(byte[] header, int fat, int difat, int dirSectors, uint firstDir, int miniFatSectors, uint firstMiniFat)
    {
        var h = header.AsSpan();
        ReadOnlySpan<byte> signature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        signature.CopyTo(h);
        BinaryPrimitives.WriteUInt16LittleEndian(h[0x18..], 0x3E);
        BinaryPrimitives.WriteUInt16LittleEndian(h[0x1A..], (ushort)(SectorBytes == 512 ? 3 : 4));
        BinaryPrimitives.WriteUInt16LittleEndian(h[0x1C..], 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(h[0x1E..], (ushort)(SectorBytes == 512 ? 9 : 12));
        BinaryPrimitives.WriteUInt16LittleEndian(h[0x20..], 6);
        BinaryPrimitives.WriteUInt32LittleEndian(h[0x28..], SectorBytes == 512 ? 0u : (uint)dirSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(h[0x2C..], (uint)fat);
        BinaryPrimitives.WriteUInt32LittleEndian(h[0x30..], firstDir);
        BinaryPrimitives.WriteUInt32LittleEndian(h[0x38..], MiniStreamCutoff);
        BinaryPrimitives.WriteUInt32LittleEndian(h[0x3C..], firstMiniFat);
        BinaryPrimitives.WriteUInt32LittleEndian(h[0x40..], (uint)miniFatSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(h[0x44..], difat == 0 ? EndOfChain : (uint)fat);
        BinaryPrimitives.WriteUInt32LittleEndian(h[0x48..], (uint)difat);
        for (var i = 0; i < 109; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h[(0x4C + i * 4)..], i < fat ? (uint)i : FreeSector);
        }
    }

    private void WriteDirectory(Span<byte> directory, Dictionary<int, uint> miniStart, Dictionary<int, uint> largeStart, uint firstMiniStream, long miniStreamBytes)
    {
        for (var offset = 0; offset < directory.Length; offset += 128)
        {
            // Unused slots: no siblings, no child.
            directory.Slice(offset + 0x44, 12).Fill(0xFF);
        }

        for (var i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            var entry = directory.Slice(i * 128, 128);
            var name = Encoding.Unicode.GetBytes(node.Name + "\0");
            name.CopyTo(entry);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[0x40..], (ushort)name.Length);
            entry[0x42] = node.Type;
            entry[0x43] = 1;
            var children = Enumerable.Range(0, _nodes.Count).Where(j => _nodes[j].Parent == i)
                .OrderBy(j => _nodes[j].Name.Length).ThenBy(j => _nodes[j].Name.ToUpperInvariant(), StringComparer.Ordinal).ToList();
            BinaryPrimitives.WriteUInt32LittleEndian(entry[0x4C..], children.Count == 0 ? NoStream : (uint)children[0]);
            for (var c = 0; c < children.Count; c++)
            {
                var sibling = directory.Slice(children[c] * 128, 128);
                BinaryPrimitives.WriteUInt32LittleEndian(sibling[0x44..], NoStream);
                BinaryPrimitives.WriteUInt32LittleEndian(sibling[0x48..], c + 1 < children.Count ? (uint)children[c + 1] : NoStream);
            }

            var (start, size) = node.Type == 5 ? (miniStreamBytes == 0 ? EndOfChain : firstMiniStream, miniStreamBytes)
                : miniStart.TryGetValue(i, out var m) ? (m, node.Data.Length)
                : largeStart.TryGetValue(i, out var l) ? (l, node.Data.Length)
                : (node.Type == 2 ? EndOfChain : 0u, 0L);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[0x74..], start);
            BinaryPrimitives.WriteInt64LittleEndian(entry[0x78..], size);
        }

        // The root's own siblings are none.
        BinaryPrimitives.WriteUInt32LittleEndian(directory[0x44..], NoStream);
        BinaryPrimitives.WriteUInt32LittleEndian(directory[0x48..], NoStream);
    }

    private sealed record Node(string Name, byte Type, int Parent, byte[] Data);
}
