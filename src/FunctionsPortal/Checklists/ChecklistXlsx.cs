using System.Globalization;
using System.Text.Json;
using FunctionsPortal.Spreadsheets;

namespace FunctionsPortal.Checklists;

/// <summary>
/// A checklist as an Excel workbook staff can read and edit: sheet "checklist" (one field per row) and sheet
/// "items" (one item per row; choices and applicability as JSON cells). Export then import gives back the same
/// definition, field for field.
/// </summary>
public static class ChecklistXlsx
{
    private static readonly string[] ItemColumns =
    [
        "section", "section.ja", "section.en", "id", "text.ja", "text.en", "help.ja", "help.en", "seeds", "reference",
        "answerType", "choices", "weight", "critical", "required", "evidence", "naAllowed", "naRequiresReason",
        "applicability", "finding.type", "finding.ja", "finding.en",
    ];

    private static readonly JsonSerializerOptions CellJson = new(ChecklistLibrary.Json) { WriteIndented = false };

    public static byte[] Export(ChecklistDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var header = new List<IReadOnlyList<string?>>
        {
            Pair("id", definition.Id), Pair("version", Invariant(definition.Version)), Pair("kind", definition.Kind),
            Pair("title.ja", definition.Title.Ja), Pair("title.en", definition.Title.En),
            Pair("description.ja", definition.Description.Ja), Pair("description.en", definition.Description.En),
        };
        if (definition.DerivedFrom is { } derived)
        {
            header.Add(Pair("derivedFrom.id", derived.Id));
            header.Add(Pair("derivedFrom.version", Invariant(derived.Version)));
            header.Add(Pair("derivedFrom.sections", derived.Sections is null ? null : string.Join(';', derived.Sections)));
            header.Add(Pair("derivedFrom.items", derived.Items is null ? null : string.Join(';', derived.Items)));
        }

        var items = new List<IReadOnlyList<string?>> { ItemColumns };
        foreach (var section in definition.Sections ?? [])
        {
            foreach (var item in section.Items)
            {
                items.Add(
                [
                    section.Id, section.Title.Ja, section.Title.En, item.Id, item.Text.Ja, item.Text.En, item.Help?.Ja, item.Help?.En,
                    string.Join(';', item.Source.Seeds), item.Source.Reference, item.AnswerType,
                    item.Choices is null ? null : JsonSerializer.Serialize(item.Choices, CellJson),
                    Invariant(item.Weight), Bool(item.Critical), Bool(item.Required), item.Evidence, Bool(item.NaAllowed), Bool(item.NaRequiresReason),
                    item.Applicability is null ? null : JsonSerializer.Serialize(item.Applicability, CellJson),
                    item.Finding?.Type, item.Finding?.Action.Ja, item.Finding?.Action.En,
                ]);
            }
        }

        return XlsxWorkbook.Write([("checklist", header), ("items", items)]);
    }

    /// <summary>Reads a workbook written by <see cref="Export"/> (or edited in Excel); throws <see cref="XlsxFormatException"/> naming the cell, or the limit the file is past.</summary>
    public static ChecklistDefinition Import(Stream content, SpreadsheetLimits? limits = null)
    {
        var sheets = XlsxWorkbook.Read(content, limits);
        if (!sheets.TryGetValue("checklist", out var headerRows) || !sheets.TryGetValue("items", out var itemRows))
        {
            throw new XlsxFormatException("The workbook needs the sheets 'checklist' and 'items' (export a checklist to see the layout).");
        }

        var fields = headerRows.Where(row => row.Length >= 1 && row[0].Length > 0)
            .ToDictionary(row => row[0], row => row.Length > 1 && row[1].Length > 0 ? row[1] : null, StringComparer.Ordinal);
        string? Field(string name) => fields.GetValueOrDefault(name);
        var version = Int(Field("version"), "checklist!version");

        DerivedFrom? derived = Field("derivedFrom.id") is { } parentId
            ? new DerivedFrom(parentId, Int(Field("derivedFrom.version"), "checklist!derivedFrom.version"), List(Field("derivedFrom.sections")), List(Field("derivedFrom.items")))
            : null;

        List<ChecklistSection>? sections = null;
        if (derived is null)
        {
            sections = [];
            var columns = itemRows.FirstOrDefault() ?? [];
            var missing = ItemColumns.Where(column => !columns.Contains(column, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                throw new XlsxFormatException($"Sheet 'items' lacks the column(s): {string.Join(", ", missing)}.");
            }

            var index = ItemColumns.ToDictionary(column => column, column => Array.IndexOf(columns, column), StringComparer.Ordinal);
            for (var r = 1; r < itemRows.Count; r++)
            {
                var row = itemRows[r];
                var where = $"items row {r + 1}";
                string? Cell(string column) => index[column] < row.Length && row[index[column]].Length > 0 ? row[index[column]] : null;
                if (row.All(cell => cell.Length == 0))
                {
                    continue;
                }

                var item = new ChecklistItem
                {
                    Id = Cell("id") ?? "",
                    Text = new Localized(Cell("text.ja") ?? "", Cell("text.en") ?? ""),
                    Help = Cell("help.ja") is null && Cell("help.en") is null ? null : new Localized(Cell("help.ja") ?? "", Cell("help.en") ?? ""),
                    Source = new ItemSource(List(Cell("seeds")) ?? [], Cell("reference")),
                    AnswerType = Cell("answerType") ?? "",
                    Choices = Cell("choices") is { } choices ? Json<List<Choice>>(choices, $"{where}, choices") : null,
                    Weight = Int(Cell("weight"), $"{where}, weight"),
                    Critical = Bool(Cell("critical"), $"{where}, critical"),
                    Required = Bool(Cell("required"), $"{where}, required"),
                    Evidence = Cell("evidence") ?? "",
                    NaAllowed = Bool(Cell("naAllowed"), $"{where}, naAllowed"),
                    NaRequiresReason = Bool(Cell("naRequiresReason"), $"{where}, naRequiresReason"),
                    Applicability = Cell("applicability") is { } applicability ? Json<List<Condition>>(applicability, $"{where}, applicability") : null,
                    Finding = Cell("finding.type") is { } type ? new Finding(type, new Localized(Cell("finding.ja") ?? "", Cell("finding.en") ?? "")) : null,
                };
                var sectionId = Cell("section") ?? "";
                if (sections.Count == 0 || sections[^1].Id != sectionId)
                {
                    sections.Add(new ChecklistSection(sectionId, new Localized(Cell("section.ja") ?? "", Cell("section.en") ?? ""), []));
                }

                sections[^1] = sections[^1] with { Items = [.. sections[^1].Items, item] };
            }
        }

        return new ChecklistDefinition
        {
            Id = Field("id") ?? "",
            Version = version,
            Kind = Field("kind") ?? "",
            Title = new Localized(Field("title.ja") ?? "", Field("title.en") ?? ""),
            Description = new Localized(Field("description.ja") ?? "", Field("description.en") ?? ""),
            Sections = sections,
            DerivedFrom = derived,
        };
    }

    private static string?[] Pair(string key, string? value) => [key, value];

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static bool Bool(string? text, string where) => text?.Trim().ToUpperInvariant() switch
    {
        "TRUE" or "1" => true,
        "FALSE" or "0" or null => false,
        _ => throw new XlsxFormatException($"{where}: '{text}' is not true or false."),
    };

    private static int Int(string? text, string where) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number == Math.Floor(number) ? (int)number // Excel stores numbers as 3 or 3.0
        : throw new XlsxFormatException($"{where}: '{text}' is not a whole number.");

    private static List<string>? List(string? text) => text is null ? null : [.. text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static T Json<T>(string text, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, CellJson) ?? throw new XlsxFormatException($"{where}: the JSON is empty.");
        }
        catch (JsonException exception)
        {
            throw new XlsxFormatException($"{where}: not valid JSON ({exception.Message}).");
        }
    }
}
