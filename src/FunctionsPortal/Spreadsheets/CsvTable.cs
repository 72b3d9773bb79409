using System.Text;

namespace FunctionsPortal.Spreadsheets;

/// <summary>
/// RFC 4180 CSV: quoted fields with doubled quotes, commas and line breaks inside quotes, CRLF or LF rows.
/// Written values that Excel would run as a formula are prefixed with an apostrophe (and read back without it).
/// </summary>
public static class CsvTable
{
    public sealed record Row(int LineNumber, IReadOnlyList<string> Fields);

    /// <summary>The rows of <paramref name="text"/>; stops with a <see cref="CsvFormatException"/> at the first row or field past <paramref name="limits"/>.</summary>
    public static IReadOnlyList<Row> Parse(string text, SpreadsheetLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= new SpreadsheetLimits();
        var rows = new List<Row>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var rowStart = 1;
        var inQuotes = false;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(Unguard(field.ToString()));
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\r' or '\n':
                    EndRow();
                    line++;
                    rowStart = line;
                    break;
                default:
                    Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (inQuotes)
        {
            throw new CsvFormatException($"Line {rowStart}: a quoted field is never closed.");
        }

        EndRow();
        return rows;

        void Append(char c)
        {
            if (field.Length == limits.CsvFieldChars)
            {
                throw new CsvFormatException($"Line {line}: a field is longer than {limits.CsvFieldChars:N0} characters.");
            }

            field.Append(c);
        }

        void EndRow()
        {
            if (fieldStarted || field.Length > 0 || fields.Count > 0)
            {
                if (rows.Count == limits.CsvRows)
                {
                    throw new CsvFormatException($"Line {rowStart}: the file has more than {limits.CsvRows:N0} rows; import it in parts.");
                }

                fields.Add(Unguard(field.ToString()));
                rows.Add(new Row(rowStart, fields.ToArray()));
            }

            fields.Clear();
            field.Clear();
            fieldStarted = false;
        }
    }

    public static string Write(IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Select(Quote)).Append("\r\n");
        }

        return text.ToString();
    }

    private static string Quote(string? value)
    {
        var guarded = Guard(value ?? "");
        return guarded.IndexOfAny([',', '"', '\r', '\n']) >= 0 || guarded.StartsWith(' ') || guarded.EndsWith(' ')
            ? '"' + guarded.Replace("\"", "\"\"", StringComparison.Ordinal) + '"'
            : guarded;
    }

    // Spreadsheet programs execute cells starting with = + - @ (CSV injection); an apostrophe makes them text.
    private static string Guard(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private static string Unguard(string value) => value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? value[1..] : value;
}

public sealed class CsvFormatException(string message) : Exception(message);
