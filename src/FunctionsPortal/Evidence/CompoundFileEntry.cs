namespace FunctionsPortal.Evidence;

/// <summary>One directory entry of a compound file: a storage (folder), a stream (file) or the root.</summary>
/// <param name="Index">Its position in the directory, which sibling and child links refer to.</param>
/// <param name="Name">The UTF-16 name (at most 31 characters).</param>
/// <param name="Kind">Storage, stream or root; <see cref="CompoundFileEntryKind.Unused"/> for a free slot.</param>
/// <param name="Parent">The storage it sits in (-1 for the root, and for entries no storage's tree reaches).</param>
/// <param name="HasChildren">A storage with at least one entry under it.</param>
/// <param name="StartSector">First sector of its data (in the mini stream when smaller than the cutoff).</param>
/// <param name="Size">Declared size of its data in bytes; trusted only after checking it against the file.</param>
internal sealed record CompoundFileEntry(int Index, string Name, CompoundFileEntryKind Kind, int Parent, bool HasChildren, uint StartSector, long Size);

internal enum CompoundFileEntryKind
{
    Unused = 0,
    Storage = 1,
    Stream = 2,
    Root = 5,
}
