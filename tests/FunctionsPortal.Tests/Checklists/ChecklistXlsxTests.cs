using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FunctionsPortal.Checklists;
using FunctionsPortal.Spreadsheets;

namespace FunctionsPortal.Tests.Checklists;

public sealed class ChecklistXlsxTests
{
    public static TheoryData<string, int> Versions() => [.. DefaultChecklists.All.Select(definition => (definition.Id, definition.Version))];

    [Theory]
    [MemberData(nameof(Versions))]
    public void ExportThenImportGivesBackTheSameDefinition(string id, int version)
    {
        var definition = DefaultChecklists.Get(id, version);

        var imported = ChecklistXlsx.Import(new MemoryStream(ChecklistXlsx.Export(definition)));

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(definition, ChecklistLibrary.Json), System.Text.Json.JsonSerializer.Serialize(imported, ChecklistLibrary.Json));
    }

    [Fact]
    public void AWorkbookResavedByExcelWithSharedStringsAndNumbersStillImports()
    {
        var definition = DefaultChecklists.Get("annual-full", 2);
        var resaved = ToSharedStringsAndNumbers(ChecklistXlsx.Export(definition));

        var imported = ChecklistXlsx.Import(new MemoryStream(resaved));

        Assert.Equal(definition.Sections!.Sum(section => section.Items.Count), imported.Sections!.Sum(section => section.Items.Count));
        Assert.Equal(definition.Sections![0].Items[0].Weight, imported.Sections![0].Items[0].Weight);
        Assert.Equal(definition.Sections![0].Items[0].Text, imported.Sections![0].Items[0].Text);
    }

    [Fact]
    public void ABrokenCellIsNamed()
    {
        var workbook = XlsxWorkbook.Write(
        [
            ("checklist", [["id", "broken"], ["version", "one"], ["kind", "interim"]]),
            ("items", [["section"]]),
        ]);

        var error = Assert.Throws<XlsxFormatException>(() => ChecklistXlsx.Import(new MemoryStream(workbook)));

        Assert.Contains("version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotAWorkbookIsRefusedClearly()
    {
        var error = Assert.Throws<XlsxFormatException>(() => ChecklistXlsx.Import(new MemoryStream("id,version\n"u8.ToArray())));

        Assert.Contains(".xlsx", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Rewrites every inline string as a shared string, and whole numbers as numeric cells, as Excel does on save.</summary>
    private static byte[] ToSharedStringsAndNumbers(byte[] workbook)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var document = SpreadsheetDocument.Open(stream, isEditable: true))
        {
            var part = document.WorkbookPart!;
            var sharedPart = part.AddNewPart<SharedStringTablePart>();
            sharedPart.SharedStringTable = new SharedStringTable();
            var index = 0;
            foreach (var cell in part.WorksheetParts.SelectMany(sheet => sheet.Worksheet.Descendants<Cell>()).ToList())
            {
                var text = cell.InlineString!.InnerText;
                cell.InlineString = null;
                if (int.TryParse(text, out _))
                {
                    cell.DataType = null;
                    cell.CellValue = new CellValue(text);
                    continue;
                }

                sharedPart.SharedStringTable.Append(new SharedStringItem(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
                cell.DataType = CellValues.SharedString;
                cell.CellValue = new CellValue(index++);
            }

            part.Workbook.Save();
        }

        return stream.ToArray();
    }
}
