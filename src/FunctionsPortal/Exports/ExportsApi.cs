using System.Globalization;
using System.Text.RegularExpressions;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.Spreadsheets;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPortal.Exports;

/// <summary>
/// GET /api/exports/{vendors|assignments|scores|findings|answers}.{csv|xlsx}?cycle=&amp;encoding= for staff (any staff
/// role). CSV is UTF-8 with a BOM or Shift_JIS (characters it lacks become 〓, rows named in X-Export-Replaced);
/// XLSX holds every character. Downloads are never cached.
/// </summary>
internal static partial class ExportsApi
{
    public const string Csv = "csv";
    public const string Xlsx = "xlsx";

    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/exports").WithTags("Exports").RequireAuthorization(StaffRoles.StaffPolicy)
            .MapGet("/{dataset}.{format}", ExportAsync).WithName("Export")
            .WithSummary("vendors, assignments, scores, findings or answers as csv (encoding=utf-8 with BOM, or shift_jis) or xlsx; cycle is required except for vendors.");
        return endpoints;
    }

    /// <summary>The download link for one export (what the cycle report page lists).</summary>
    public static string Url(string dataset, string format, string? cycle, string? encoding = null)
    {
        var query = new List<string>();
        if (cycle is not null)
        {
            query.Add("cycle=" + Uri.EscapeDataString(cycle));
        }

        if (encoding is not null)
        {
            query.Add("encoding=" + Uri.EscapeDataString(encoding));
        }

        return $"/api/exports/{dataset}.{format}" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(
        string dataset, string format, HttpResponse response, CycleReader reader, VendorRegistry registry, TimeProvider clock, CancellationToken cancellationToken,
        string? cycle = null, string? encoding = null)
    {
        if (!ExportTables.All.Contains(dataset, StringComparer.Ordinal) || format is not (Csv or Xlsx))
        {
            return TypedResults.Problem(statusCode: 404, title: "No such export / その出力はありません",
                detail: $"Exports are {string.Join(", ", ExportTables.All)}, each as .csv or .xlsx.");
        }

        encoding ??= TextEncodings.Utf8;
        if (!TextEncodings.IsKnown(encoding))
        {
            return TypedResults.Problem(statusCode: 400, title: "Unknown encoding / 文字コードが不明です", detail: $"encoding must be {TextEncodings.Utf8} or {TextEncodings.ShiftJis}.");
        }

        cycle = string.IsNullOrWhiteSpace(cycle) ? null : cycle.Trim();
        if (dataset != ExportTables.Vendors && cycle is null)
        {
            return TypedResults.Problem(statusCode: 400, title: "Which cycle? / 調査サイクルを指定してください",
                detail: $"The {dataset} export is per survey cycle: add ?cycle=<cycle id> (a campaign id or a plan period such as plan-2026-04).");
        }

        var table = dataset switch
        {
            ExportTables.Vendors => ExportTables.VendorList(await registry.AllAsync(cancellationToken)),
            _ => Build(dataset, await reader.ReadAsync(cycle!, ExportTables.PartsFor(dataset), cancellationToken)),
        };

        response.Headers.CacheControl = "no-store";
        var today = clock.GetUtcNow().ToOffset(PageText.Japan).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        // Japanese names go out as RFC 5987 filename* (with an ASCII filename= fallback), which ASP.NET Core writes for us.
        var name = dataset == ExportTables.Vendors || cycle is null ? $"{table.FileStem}_{today}.{format}" : $"{table.FileStem}_{SafeName(cycle)}_{today}.{format}";
        if (format == Xlsx)
        {
            var rows = new List<IReadOnlyList<string?>> { table.Header };
            rows.AddRange(table.Rows.Select(row => row.Cells));
            return TypedResults.File(XlsxWorkbook.Write([(table.Sheet, rows)]), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
        }

        var file = CsvDownload.Create(table.Header, table.Rows, encoding);
        file.AddHeaders(response);
        return TypedResults.File(file.Content, file.ContentType, name);
    }

    private static ExportTable Build(string dataset, CycleSnapshot cycle) => dataset switch
    {
        ExportTables.Assignments => ExportTables.AssignmentList(cycle),
        ExportTables.Scores => ExportTables.ScoreList(cycle),
        ExportTables.Findings => ExportTables.FindingList(cycle),
        _ => ExportTables.AnswerList(cycle),
    };

    /// <summary>A cycle id as part of a file name: letters, digits, '-' and '_' only (the rest could escape the name).</summary>
    private static string SafeName(string cycle) => UnsafeFileCharacters().Replace(cycle, "_");

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex UnsafeFileCharacters();
}
