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

    /// <summary>Sheet name → rows of cell text (empty cells as ""). Throws <see cref="XlsxFormatException"/> for a file that is not .xlsx.</summary>
    public static Dictionary<string, List<string[]>> Read(Stream content)
    {
        SpreadsheetDocument document;
        try
        {
            document = SpreadsheetDocument.Open(content, isEditable: false);
        }
        catch (Exception exception) when (exception is OpenXmlPackageException or InvalidDataException or FileFormatException)
        {
            throw new XlsxFormatException("The file is not an Excel workbook (.xlsx).");
        }

        using (document)
        {
            var workbook = document.WorkbookPart ?? throw new XlsxFormatException("The workbook has no sheets.");
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(item => item.InnerText).ToList() ?? [];
            var result = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
            foreach (var sheet in workbook.Workbook.Sheets?.Elements<Sheet>() ?? [])
            {
                var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
                var rows = new List<string[]>();
                foreach (var row in part.Worksheet.Descendants<Row>())
                {
                    var index = (int)(row.RowIndex?.Value ?? (uint)(rows.Count + 1)) - 1;
                    while (rows.Count < index)
                    {
                        rows.Add([]);
                    }

                    var cells = new List<string>();
                    foreach (var cell in row.Elements<Cell>())
                    {
                        var column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : cells.Count;
                        while (cells.Count < column)
                        {
                            cells.Add("");
                        }

                        cells.Add(CellText(cell, shared));
                    }

                    rows.Add([.. cells]);
                }

                result[sheet.Name!.Value!] = rows;
            }

            return result;
        }
    }

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
