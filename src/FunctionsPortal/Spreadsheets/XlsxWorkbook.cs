using System.Globalization;
using System.IO.Compression;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace FunctionsPortal.Spreadsheets;

/// <summary>
/// Minimal .xlsx reading and writing: named sheets of text cells. Written cells are inline strings; read cells may
/// be shared strings, inline strings, numbers or booleans, since Excel re-saves files its own way.
/// </summary>
public static class XlsxWorkbook
{
    private const long SmallPartBytes = 1024 * 1024;

    public static byte[] Write(IReadOnlyList<(string Name, IReadOnlyList<IReadOnlyList<string?>> Rows)> sheets)
    {
        ArgumentNullException.ThrowIfNull(sheets);
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            uint sheetId = 1;
            foreach (var (name, rows) in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                for (var r = 0; r < rows.Count; r++)
                {
                    var row = new Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < rows[r].Count; c++)
                    {
                        if (string.IsNullOrEmpty(rows[r][c]))
                        {
                            continue;
                        }

                        row.Append(new Cell
                        {
                            CellReference = ColumnName(c) + (r + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                            DataType = CellValues.InlineString,
                            InlineString = new InlineString(new Text(XmlSafe(rows[r][c]!)) { Space = SpaceProcessingModeValues.Preserve }),
                        });
                    }

                    data.Append(row);
                }

                part.Worksheet = new Worksheet(data);
                workbook.Workbook.Sheets!.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = sheetId++, Name = name });
            }

            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Sheet name → rows of cell text (empty cells as ""). Throws <see cref="XlsxFormatException"/> for a file that is not
    /// .xlsx or is past <paramref name="limits"/>: the zip's sizes are checked before anything is decompressed, a sheet's
    /// declared dimension before its rows are read, and rows, columns and strings are counted as they stream (a
    /// dimension can lie). <paramref name="content"/> must be seekable (the zip directory is at its end).
    /// </summary>
    public static Dictionary<string, List<string[]>> Read(Stream content, SpreadsheetLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        limits ??= new SpreadsheetLimits();
        try
        {
            CheckPackage(content, limits);
            using var document = SpreadsheetDocument.Open(content, isEditable: false, new OpenSettings { MaxCharactersInPart = limits.XlsxPartBytes });
            var workbook = document.WorkbookPart ?? throw new XlsxFormatException("The workbook has no sheets.");
            var shared = SharedStrings(workbook, limits);
            var result = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
            foreach (var sheet in workbook.Workbook.Sheets?.Elements<Sheet>() ?? [])
            {
                // A chart sheet has no cells to read.
                if (sheet.Id?.Value is { } id && workbook.GetPartById(id) is WorksheetPart part)
                {
                    result[sheet.Name!.Value!] = ReadSheet(sheet.Name!.Value!, part, shared, limits);
                }
            }

            return result;
        }
        catch (Exception exception) when (exception is OpenXmlPackageException or InvalidDataException or FileFormatException or XmlException or IOException)
        {
            throw new XlsxFormatException("The file is not an Excel workbook (.xlsx), or it is damaged.");
        }
    }

    /// <summary>Refuses a zip bomb from the sizes its directory declares, before a byte is decompressed (.NET inflates no entry past its declared size).</summary>
    private static void CheckPackage(Stream content, SpreadsheetLimits limits)
    {
        var start = content.Position;
        using (var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true))
        {
            if (zip.Entries.Count > limits.XlsxParts)
            {
                throw new XlsxFormatException($"The workbook holds {zip.Entries.Count:N0} files; at most {limits.XlsxParts:N0} are read.");
            }

            foreach (var entry in zip.Entries)
            {
                if (entry.Length > limits.XlsxPartBytes
                    || (entry.Length > SmallPartBytes && entry.Length > entry.CompressedLength * limits.XlsxCompressionRatio))
                {
                    throw new XlsxFormatException(
                        $"'{entry.FullName}' in the workbook expands to {entry.Length:N0} bytes from {entry.CompressedLength:N0}; at most {limits.XlsxPartBytes:N0} bytes and {limits.XlsxCompressionRatio} times are read.");
                }
            }
        }

        content.Position = start;
    }

    private static List<string> SharedStrings(WorkbookPart workbook, SpreadsheetLimits limits)
    {
        var strings = new List<string>();
        if (workbook.SharedStringTablePart is not { } part)
        {
            return strings;
        }

        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (!reader.IsStartElement)
            {
                continue;
            }

            if (reader.ElementType == typeof(SharedStringTable) && Attribute(reader, "uniqueCount") is { } declared
                && long.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > limits.XlsxSharedStrings)
            {
                throw TooManySharedStrings(limits);
            }

            if (reader.ElementType == typeof(SharedStringItem))
            {
                if (strings.Count == limits.XlsxSharedStrings)
                {
                    throw TooManySharedStrings(limits);
                }

                strings.Add(Bounded(reader.LoadCurrentElement()!.InnerText, $"Shared string {strings.Count + 1:N0}", limits));
            }
        }

        return strings;
    }

    private static List<string[]> ReadSheet(string name, WorksheetPart part, List<string> shared, SpreadsheetLimits limits)
    {
        var rows = new List<string[]>();
        List<string>? cells = null;
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType == typeof(Row))
            {
                EndRow();
                if (reader.IsStartElement)
                {
                    var index = int.TryParse(Attribute(reader, "r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : rows.Count + 1;
                    if (index > limits.XlsxRows || rows.Count >= limits.XlsxRows)
                    {
                        throw new XlsxFormatException($"Sheet '{name}' has more than {limits.XlsxRows:N0} rows.");
                    }

                    while (rows.Count < index - 1)
                    {
                        rows.Add([]);
                    }

                    cells = [];
                }
            }
            else if (reader.ElementType == typeof(SheetDimension) && reader.IsStartElement && Attribute(reader, "ref") is { } dimension)
            {
                // What the sheet says it spans, refused before a row is read (counted again below: it may lie).
                var (lastRow, lastColumn) = LastCell(dimension);
                if (lastRow > limits.XlsxRows || lastColumn > limits.XlsxColumns)
                {
                    throw new XlsxFormatException($"Sheet '{name}' spans {dimension}; at most {limits.XlsxRows:N0} rows and {limits.XlsxColumns:N0} columns are read.");
                }
            }
            else if (reader.ElementType == typeof(Cell) && reader.IsStartElement && cells is not null)
            {
                var cell = (Cell)reader.LoadCurrentElement()!;
                var column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : cells.Count;
                if (column >= limits.XlsxColumns || cells.Count >= limits.XlsxColumns)
                {
                    throw new XlsxFormatException($"Sheet '{name}' row {rows.Count + 1:N0} has more than {limits.XlsxColumns:N0} columns.");
                }

                while (cells.Count < column)
                {
                    cells.Add("");
                }

                cells.Add(Bounded(CellText(cell, shared), $"Sheet '{name}' row {rows.Count + 1:N0}", limits));
            }
        }

        EndRow();
        return rows;

        void EndRow()
        {
            if (cells is not null)
            {
                rows.Add([.. cells]);
                cells = null;
            }
        }
    }

    private static (long Row, long Column) LastCell(string reference)
    {
        var last = reference[(reference.LastIndexOf(':') + 1)..];
        var letters = last.TakeWhile(char.IsAsciiLetter).Count();
        var row = long.TryParse(last.AsSpan(letters), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
        // Only the length matters here, and more than three letters is already past Excel's last column.
        return (row, letters > 3 ? long.MaxValue : ColumnIndex(last) + 1);
    }

    private static string? Attribute(OpenXmlReader reader, string localName) =>
        reader.Attributes.FirstOrDefault(attribute => attribute.LocalName == localName && string.IsNullOrEmpty(attribute.NamespaceUri)).Value;

    private static string Bounded(string text, string where, SpreadsheetLimits limits) =>
        text.Length > limits.XlsxCellChars ? throw new XlsxFormatException($"{where} has {text.Length:N0} characters; a cell holds at most {limits.XlsxCellChars:N0}.") : text;

    private static XlsxFormatException TooManySharedStrings(SpreadsheetLimits limits) =>
        new($"The workbook has more than {limits.XlsxSharedStrings:N0} distinct texts (shared strings).");

    private static string CellText(Cell cell, List<string> shared)
    {
        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return int.TryParse(cell.CellValue?.Text, out var index) && index < shared.Count ? shared[index] : "";
        }

        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }

        if (cell.DataType?.Value == CellValues.Boolean)
        {
            return cell.CellValue?.Text == "1" ? "true" : "false";
        }

        return cell.CellValue?.Text ?? "";
    }

    /// <summary>
    /// XML cannot carry most control characters (a vertical tab pasted from Word, say): each becomes U+FFFD, visibly,
    /// instead of failing the whole workbook.
    /// </summary>
    private static string XmlSafe(string text)
    {
        if (!text.Any(character => char.IsControl(character) || char.IsSurrogate(character) || character is '\uFFFE' or '\uFFFF'))
        {
            return text;
        }

        var safe = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                safe.Append(text, i++, 2);
            }
            else
            {
                safe.Append(System.Xml.XmlConvert.IsXmlChar(text[i]) ? text[i] : '\uFFFD');
            }
        }

        return safe.ToString();
    }

    private static string ColumnName(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26)
        {
            name = (char)('A' + ((index - 1) % 26)) + name;
        }

        return name;
    }

    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var character in reference.TakeWhile(char.IsAsciiLetter))
        {
            index = (index * 26) + (char.ToUpperInvariant(character) - 'A' + 1);
        }

        return index - 1;
    }
}

public sealed class XlsxFormatException(string message) : Exception(message);
