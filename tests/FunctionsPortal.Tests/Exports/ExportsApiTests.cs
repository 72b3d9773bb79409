using System.Net;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using FunctionsPortal.Spreadsheets;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Exports;

/// <summary>Every export read back as a person's spreadsheet would: XLSX through the OpenXML SDK, CSV decoded as UTF-8 and Shift_JIS.</summary>
public sealed class ExportsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Emoji = "株式会社スマイル😀物流";
    private const string Cp932Only = "髙橋①商事株式会社";
    private const string Formula = "=HYPERLINK(\"http://attacker.example\",\"click\")";

    private static readonly Encoding ShiftJis = RegisterShiftJis();

    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static Encoding RegisterShiftJis()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932);
    }

    /// <summary>
    /// One cycle: a vendor with an emoji in its name that answered one item △ (a finding) with formula-like comments,
    /// one whose name only CP932 holds (髙, ①) that answered everything ○, and one invited that never submitted.
    /// </summary>
    private async Task<(string Cycle, InvitedVendor Emoji, InvitedVendor Cp932, InvitedVendor Silent)> CycleAsync()
    {
        var cycle = "cx-" + Guid.NewGuid().ToString("N")[..8];
        var emoji = await SurveyScenario.InviteAsync(Services, Token, vendor: SampleVendors.Domestic(Emoji) with { Notes = Formula }, cycle: cycle);
        await SurveyScenario.CompleteDraftAsync(Services, emoji, Token, comment: "=1+2");
        await Services.GetRequiredService<DraftStore>().UpdateAsync(emoji.Assignment.Key, draft => draft with
        {
            Answers = new Dictionary<string, ItemAnswer>(draft.Answers) { ["GOV-03"] = new ItemAnswer { Status = StatusAnswers.Partial, Comment = "規程を改訂中" } },
        }, Token);
        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(Services, emoji, Token)).Status);
        var cp932 = await SurveyScenario.InviteAsync(Services, Token, vendor: SampleVendors.Domestic(Cp932Only), cycle: cycle);
        await SurveyScenario.CompleteDraftAsync(Services, cp932, Token);
        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(Services, cp932, Token)).Status);
        var silent = await SurveyScenario.InviteAsync(Services, Token, vendor: SampleVendors.Domestic("株式会社未提出"), cycle: cycle);
        return (cycle, emoji, cp932, silent);
    }

    private HttpClient Reviewer() => _app.CreateStaffClient(StaffRoles.Reviewer);

    private static async Task<(HttpResponseMessage Response, byte[] Bytes)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Token);
        return (response, await response.Content.ReadAsByteArrayAsync(Token));
    }

    /// <summary>The first sheet's rows through the OpenXML SDK itself (not the app's reader).</summary>
    private static List<string[]> ReadXlsx(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var document = SpreadsheetDocument.Open(stream, isEditable: false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single();
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
        var rows = new List<string[]>();
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var column = cell.CellReference!.Value!.TakeWhile(char.IsAsciiLetter).Aggregate(0, (index, letter) => (index * 26) + letter - 'A' + 1) - 1;
                while (cells.Count < column)
                {
                    cells.Add("");
                }

                cells.Add(cell.InlineString?.InnerText ?? cell.CellValue?.Text ?? "");
            }

            rows.Add([.. cells]);
        }

        return rows;
    }

    private static List<string[]> ReadCsv(byte[] bytes, bool shiftJis)
    {
        var text = shiftJis ? ShiftJis.GetString(bytes) : new UTF8Encoding(false, true).GetString(bytes.AsSpan(3));
        return CsvTable.Parse(text).Select(row => row.Fields.ToArray()).ToList();
    }

    private static Dictionary<string, string> Named(List<string[]> rows, string[] row) =>
        rows[0].Select((name, index) => (name, value: index < row.Length ? row[index] : "")).ToDictionary(pair => pair.name, pair => pair.value);

    [Fact]
    public async Task EveryExportReadsBackAsXlsxAndAsCsvInBothEncodings()
    {
        var (cycle, emoji, cp932, silent) = await CycleAsync();
        var items = (await Services.GetRequiredService<ChecklistLibrary>().ResolveAsync("annual-lite", 1, Token))!.Items.Select(pair => pair.Item.Id).ToList();
        using var reviewer = Reviewer();

        foreach (var dataset in new[] { "vendors", "assignments", "scores", "findings", "answers" })
        {
            var (xlsxResponse, xlsx) = await GetAsync(reviewer, $"/api/exports/{dataset}.xlsx?cycle={cycle}");
            var (utf8Response, utf8) = await GetAsync(reviewer, $"/api/exports/{dataset}.csv?cycle={cycle}");
            var (sjisResponse, sjis) = await GetAsync(reviewer, $"/api/exports/{dataset}.csv?cycle={cycle}&encoding=shift_jis");
            using (xlsxResponse)
            using (utf8Response)
            using (sjisResponse)
            {
                Assert.Equal(HttpStatusCode.OK, xlsxResponse.StatusCode);
                Assert.Equal(HttpStatusCode.OK, utf8Response.StatusCode);
                Assert.Equal(HttpStatusCode.OK, sjisResponse.StatusCode);
                Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsxResponse.Content.Headers.ContentType?.MediaType);
                Assert.Equal("utf-8", utf8Response.Content.Headers.ContentType?.CharSet);
                Assert.Equal("shift_jis", sjisResponse.Content.Headers.ContentType?.CharSet);
                Assert.True(utf8Response.Headers.CacheControl?.NoStore, $"{dataset}: no-store");
                Assert.True(xlsxResponse.Headers.CacheControl?.NoStore, $"{dataset}: no-store");
                Assert.Equal([0xEF, 0xBB, 0xBF], utf8[..3]);
                Assert.EndsWith(".csv", sjisResponse.Content.Headers.ContentDisposition?.FileNameStar, StringComparison.Ordinal);
            }

            var fromXlsx = ReadXlsx(xlsx);
            var fromUtf8 = ReadCsv(utf8, shiftJis: false);
            var fromSjis = ReadCsv(sjis, shiftJis: true);
            Assert.Equal(fromXlsx.Count, fromUtf8.Count);
            Assert.Equal(fromUtf8.Count, fromSjis.Count);
            Assert.Equal(fromUtf8[0], fromXlsx[0]);
            Assert.Equal(fromUtf8[0], fromSjis[0]);

            // The UTF-8 file and the workbook hold the emoji as it is; the Shift_JIS file has 〓 in its place.
            var emojiRow = fromUtf8.FindIndex(row => row.Contains(Emoji));
            Assert.True(emojiRow > 0, $"{dataset}: the emoji vendor's row");
            Assert.Contains(Emoji, fromXlsx[emojiRow]);
            Assert.Contains("株式会社スマイル〓物流", fromSjis[emojiRow]);

            switch (dataset)
            {
                case "vendors":
                    Assert.Equal(VendorsColumns, fromUtf8[0]);
                    Assert.Contains(fromUtf8, row => row[0] == emoji.VendorId && row.Contains(Formula));
                    break;
                case "assignments":
                    Assert.Equal(4, fromUtf8.Count);
                    var silentRow = Named(fromUtf8, fromUtf8.Single(row => row.Contains(silent.VendorId)));
                    Assert.Equal((AssignmentStatus.Invited, ""), (silentRow["status"], silentRow["submittedVersion"]));
                    Assert.Equal(AssignmentStatus.Submitted, Named(fromUtf8, fromUtf8.Single(row => row.Contains(cp932.VendorId)))["status"]);
                    break;
                case "scores":
                    Assert.Equal(3, fromUtf8.Count); // the two sealed surveys; the silent vendor has no score
                    var scored = Named(fromUtf8, fromUtf8.Single(row => row.Contains(cp932.VendorId)));
                    Assert.Equal(("100", "A", "passed"), (scored["score"], scored["grade"], scored["verdict"]));
                    Assert.True(fromUtf8[0].Length > 9, "one column per section after verdict");
                    break;
                case "findings":
                    var finding = Named(fromUtf8, Assert.Single(fromUtf8.Skip(1)));
                    Assert.Equal((emoji.VendorId, "GOV-03", "△ 一部対応・対応予定"), (finding["vendorId"], finding["itemId"], finding["answer"]));
                    Assert.NotEmpty(finding["itemText"]);
                    Assert.NotEmpty(finding["recommendedAction"]);
                    break;
                case "answers":
                    // Every question of the checklist for each of the three vendors, the silent one's rows empty.
                    foreach (var vendor in new[] { emoji, cp932, silent })
                    {
                        Assert.Equal(items, fromUtf8.Skip(1).Where(row => row[0] == vendor.VendorId).Select(row => Named(fromUtf8, row)["itemId"]).ToList());
                    }

                    Assert.All(fromUtf8.Skip(1).Where(row => row[0] == silent.VendorId), row => Assert.Equal("", Named(fromUtf8, row)["answer"]));
                    Assert.Contains(fromUtf8.Skip(1), row => row[0] == emoji.VendorId && Named(fromUtf8, row)["comment"] == "規程を改訂中");
                    break;
            }
        }
    }

    private static readonly string[] VendorsColumns = [.. FunctionsPortal.Vendors.VendorCsv.Columns];

    [Fact]
    public async Task ShiftJisReplacesWhatItCannotHoldAndTheHeaderNamesTheRows()
    {
        var (cycle, emoji, cp932, _) = await CycleAsync();
        using var reviewer = Reviewer();

        var (assignmentsResponse, assignments) = await GetAsync(reviewer, $"/api/exports/assignments.csv?cycle={cycle}&encoding=shift_jis");
        var (vendorsResponse, vendors) = await GetAsync(reviewer, "/api/exports/vendors.csv?encoding=shift_jis");
        var (legacyResponse, legacy) = await GetAsync(reviewer, "/api/vendors/export.csv?encoding=shift_jis");
        var (utf8Response, _) = await GetAsync(reviewer, $"/api/exports/assignments.csv?cycle={cycle}");
        var rows = ReadCsv(assignments, shiftJis: true);
        var emojiRow = rows.FindIndex(row => row.Contains(emoji.VendorId)) + 1; // spreadsheet rows count from 1, the header included
        var vendorRows = ReadCsv(vendors, shiftJis: true);

        Assert.Equal(HttpStatusCode.OK, assignmentsResponse.StatusCode);
        Assert.Equal($"{emojiRow}={emoji.VendorId}", Assert.Single(assignmentsResponse.Headers.GetValues(CsvDownload.ReplacedHeader)));
        Assert.Contains(rows, row => row.Contains("株式会社スマイル〓物流"));
        Assert.Contains(rows, row => row.Contains(Cp932Only)); // 髙 and ① are in CP932, what Japanese Excel reads: kept, not replaced
        Assert.DoesNotContain(cp932.VendorId, assignmentsResponse.Headers.GetValues(CsvDownload.ReplacedHeader).Single(), StringComparison.Ordinal);
        Assert.Contains($"{vendorRows.FindIndex(row => row[0] == emoji.VendorId) + 1}={emoji.VendorId}", vendorsResponse.Headers.GetValues(CsvDownload.ReplacedHeader).Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, legacyResponse.StatusCode); // the registry's own export shares the rule instead of refusing
        Assert.Contains(emoji.VendorId, legacyResponse.Headers.GetValues(CsvDownload.ReplacedHeader).Single(), StringComparison.Ordinal);
        Assert.Contains(ReadCsv(legacy, shiftJis: true), row => row.Contains("株式会社スマイル〓物流"));
        Assert.False(utf8Response.Headers.Contains(CsvDownload.ReplacedHeader));
        Assert.Equal(4, rows.Count); // the body carries nothing extra: the header row and the three assignments
        Assert.All(rows, row => Assert.Equal(rows[0].Length, row.Length));
    }

    [Fact]
    public async Task CellsThatLookLikeFormulasAreWrittenAsText()
    {
        var (cycle, emoji, _, _) = await CycleAsync();
        using var reviewer = Reviewer();

        var vendors = Encoding.UTF8.GetString(await reviewer.GetByteArrayAsync("/api/exports/vendors.csv", Token));
        var answers = Encoding.UTF8.GetString(await reviewer.GetByteArrayAsync($"/api/exports/answers.csv?cycle={cycle}", Token));
        var workbook = ReadXlsx(await reviewer.GetByteArrayAsync($"/api/exports/answers.xlsx?cycle={cycle}", Token));

        Assert.Contains("\"'=HYPERLINK(\"\"http://attacker.example\"\",\"\"click\"\")\"", vendors, StringComparison.Ordinal);
        Assert.Contains(",'=1+2,", answers, StringComparison.Ordinal);
        Assert.DoesNotContain(",=1+2,", answers, StringComparison.Ordinal);
        Assert.Contains(workbook, row => row.Contains(emoji.VendorId) && row.Contains("=1+2")); // an inline string is text, never a formula
    }

    [Fact]
    public async Task StaffExportAndEveryoneElseIsRefusedAndBadRequestsAreExplained()
    {
        using var reviewer = Reviewer();
        using var admin = _app.CreateStaffClient(StaffRoles.Admin);
        using var noRole = _app.CreateStaffClient("None");
        using var anonymous = _app.CreateClient();

        using var asReviewer = await reviewer.GetAsync("/api/exports/vendors.xlsx", Token);
        using var asAdmin = await admin.GetAsync("/api/exports/assignments.csv?cycle=nothing-here", Token);
        using var withoutRole = await noRole.GetAsync("/api/exports/vendors.csv", Token);
        using var signedOut = await anonymous.GetAsync("/api/exports/vendors.csv", Token);
        using var noCycle = await reviewer.GetAsync("/api/exports/scores.xlsx", Token);
        using var badEncoding = await reviewer.GetAsync("/api/exports/vendors.csv?encoding=latin1", Token);
        using var unknown = await reviewer.GetAsync("/api/exports/passwords.csv", Token);

        Assert.Equal(HttpStatusCode.OK, asReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Contains(withoutRole.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        Assert.Contains(signedOut.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        Assert.Equal(HttpStatusCode.BadRequest, noCycle.StatusCode);
        Assert.Equal("application/problem+json", noCycle.Content.Headers.ContentType?.MediaType);
        Assert.Contains("cycle", await noCycle.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badEncoding.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", asReviewer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("委託先一覧", asReviewer.Content.Headers.ContentDisposition?.FileNameStar, StringComparison.Ordinal);
        Assert.Contains("調査一覧_nothing-here_", asAdmin.Content.Headers.ContentDisposition?.FileNameStar, StringComparison.Ordinal);
        Assert.Contains("filename*=UTF-8''", asAdmin.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
    }
}
