using System.Globalization;

namespace FunctionsPortal.Spreadsheets;

/// <summary>A row whose text Shift_JIS could not hold in full: its spreadsheet row number (the header is row 1) and what identifies it.</summary>
public sealed record ReplacedRow(int Row, string? Label);

/// <summary>
/// A CSV file for download: UTF-8 with a BOM (Excel then opens it as UTF-8), or Shift_JIS (CP932) for Japanese Excel's
/// default. Shift_JIS never fails on a character: what it lacks becomes 〓 (<see cref="TextEncodings.Replacement"/>)
/// and the rows are listed in <see cref="Replaced"/> (for a response header; the body carries nothing extra).
/// </summary>
public sealed record CsvDownload(byte[] Content, string ContentType, IReadOnlyList<ReplacedRow> Replaced)
{
    /// <summary>Names the rows where characters were replaced: "3=v1a2b,7=v3c4d" (row=label, labels percent-encoded).</summary>
    public const string ReplacedHeader = "X-Export-Replaced";

    /// <summary>At most this many rows are named in the header; the rest are counted ("+12 more").</summary>
    public const int MaxNamedRows = 50;

    /// <summary>The header row, then one row per (label, cells); labels name rows in <see cref="Replaced"/> and are not written.</summary>
    public static CsvDownload Create(IReadOnlyList<string> header, IEnumerable<(string? Label, IReadOnlyList<string?> Cells)> rows, string encoding)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var shiftJis = string.Equals(encoding, TextEncodings.ShiftJis, StringComparison.OrdinalIgnoreCase);
        var written = new List<IReadOnlyList<string?>> { header };
        var replaced = new List<ReplacedRow>();
        foreach (var (label, cells) in rows)
        {
            if (shiftJis)
            {
                var anyReplaced = false;
                var held = cells.Select(cell =>
                {
                    var text = TextEncodings.ToShiftJisText(cell ?? "", out var lost);
                    anyReplaced |= lost;
                    return (string?)text;
                }).ToList();
                if (anyReplaced)
                {
                    replaced.Add(new ReplacedRow(written.Count + 1, label));
                }

                written.Add(held);
            }
            else
            {
                written.Add(cells);
            }
        }

        // Headers are ours and ASCII or CP932 Japanese, so the strict encoder cannot fail after the cells were made safe.
        var headerText = shiftJis ? header.Select(name => (string?)TextEncodings.ToShiftJisText(name, out _)).ToList() : header.Select(name => (string?)name).ToList();
        written[0] = headerText;
        return new CsvDownload(
            TextEncodings.Encode(CsvTable.Write(written), shiftJis ? TextEncodings.ShiftJis : TextEncodings.Utf8),
            shiftJis ? "text/csv; charset=shift_jis" : "text/csv; charset=utf-8",
            replaced);
    }

    /// <summary>The <see cref="ReplacedHeader"/> value (ASCII), or null when nothing was replaced.</summary>
    public string? ReplacedHeaderValue()
    {
        if (Replaced.Count == 0)
        {
            return null;
        }

        var named = Replaced.Take(MaxNamedRows).Select(row => row.Label is { Length: > 0 } label
            ? $"{row.Row.ToString(CultureInfo.InvariantCulture)}={Uri.EscapeDataString(label)}"
            : row.Row.ToString(CultureInfo.InvariantCulture));
        var more = Replaced.Count > MaxNamedRows ? $",+{(Replaced.Count - MaxNamedRows).ToString(CultureInfo.InvariantCulture)} more" : "";
        return string.Join(',', named) + more;
    }

    /// <summary>Sets the replaced-rows header (when any) and keeps the file out of every cache (it holds vendors' data).</summary>
    public void AddHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.CacheControl = "no-store";
        if (ReplacedHeaderValue() is { } value)
        {
            response.Headers[ReplacedHeader] = value;
        }
    }
}
