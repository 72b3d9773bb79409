namespace FunctionsPortal.Exports;

/// <summary>
/// One export before it becomes a file: the Japanese file-name stem, the sheet name, the header and the rows, each
/// labelled by its vendor id (the label names a row whose text Shift_JIS could not hold; it is not a column).
/// </summary>
public sealed record ExportTable(string FileStem, string Sheet, IReadOnlyList<string> Header, IReadOnlyList<(string? Label, IReadOnlyList<string?> Cells)> Rows);
