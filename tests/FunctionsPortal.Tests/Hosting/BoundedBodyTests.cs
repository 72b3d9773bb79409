using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Hosting;
using FunctionsPortal.Spreadsheets;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Tests.Hosting;

/// <summary>
/// Every body the portal reads is counted as it arrives: sent chunked (no Content-Length) past its endpoint's limit it
/// is refused with 413 and the server stops pulling near the limit; a body of exactly the limit still works.
/// At the default limits, in memory.
/// </summary>
public sealed class BoundedBodyTests : IAsyncLifetime
{
    private const long MiB = 1024 * 1024;
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private readonly BodyReadMeter _meter = new();
    private readonly PortalApplication _app;
    private HttpClient _admin = null!;
    private RequestLimitsOptions _limits = null!;

    public BoundedBodyTests(AzuriteFixture azurite) =>
        _app = new PortalApplication(azurite, configureServices: services => services.AddSingleton<IStartupFilter>(_meter));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // Not CreateStaffClient: its redirect handler buffers a request body whole to replay it, giving it a Content-Length.
        _admin = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        _admin.DefaultRequestHeaders.Add("X-Development-Staff", $"staff@our-company.example.jp; {StaffRoles.Admin}");
        _limits = _app.Services.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "/api/vendors/import", "text/csv", nameof(RequestLimitsOptions.VendorCsvBytes) },
        { "/api/checklists/import.xlsx", Xlsx, nameof(RequestLimitsOptions.ChecklistXlsxBytes) },
        { "/api/receipts/verify", "application/json", nameof(RequestLimitsOptions.ReceiptBytes) },
        { "/api/checklists", "application/json", nameof(RequestLimitsOptions.BodyBytes) },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AChunkedBodyPastTheEndpointsLimitIs413AndReadNoFurther(string path, string mediaType, string limitName)
    {
        var limit = Limit(limitName);
        using var body = new StreamedBody("{\"a\":\""u8.ToArray(), limit + (2 * MiB), mediaType);

        using var response = await _admin.PostAsync(path, body, Token);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Request too large / 送信内容が大きすぎます", problem.GetProperty("title").GetString());
        Assert.Contains($"{limit:N0} bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The app read one byte past the limit, and no more.
        Assert.Equal(limit + 1, _meter.ReadFrom(path));
    }

    [Fact]
    public async Task AContentLengthPastTheLimitIsRefusedBeforeReadingAByte()
    {
        using var body = new ByteArrayContent(new byte[_limits.BodyBytes + 1]);
        body.Headers.ContentType = new("application/json");

        using var response = await _admin.PostAsync("/api/checklists", body, Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task AVendorCsvOfExactlyTheLimitSentChunkedIsImported()
    {
        var csv = Encoding.UTF8.GetBytes(
            "legalNameJa,corporateNumber,businessCategory,officerName,officerTitle,officerEmail,ownerName,ownerEmail,dataCategories,approximateRecords,companyCountry,storageCountries,accessCountries,workLocations,lifecycleStatus\r\n"
            + $"株式会社ちょうど上限,{SampleVendors.NextCorporateNumber()},bpo,受任 太郎,取締役,officer@vendor.example.jp,社内 花子,owner@our-company.example.jp,personal,1200,JP,JP,JP,vendor-premises,active\r\n");
        using var body = new StreamedBody(Padded(csv, _limits.VendorCsvBytes, (byte)'\n'), "text/csv");

        using var response = await _admin.PostAsync("/api/vendors/import", body, Token);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Token);

        Assert.Equal((HttpStatusCode.OK, ""), (response.StatusCode, response.IsSuccessStatusCode ? "" : report.GetProperty("report").GetProperty("errors").ToString()));
        Assert.Equal(1, report.GetProperty("created").GetInt32());
        Assert.Equal(_limits.VendorCsvBytes, _meter.ReadFrom("/api/vendors/import"));
    }

    [Fact]
    public async Task AVendorCsvWithMoreRowsThanTheCapIsRefusedNamingTheCap()
    {
        var rows = _app.Services.GetRequiredService<IOptions<SpreadsheetLimits>>().Value.CsvRows;
        var csv = Encoding.UTF8.GetBytes("legalNameJa\r\n" + string.Concat(Enumerable.Repeat("株式会社\r\n", rows)));
        using var body = new StreamedBody(csv, "text/csv");

        using var response = await _admin.PostAsync("/api/vendors/import", body, Token);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single(problem.GetProperty("report").GetProperty("errors").EnumerateArray());
        Assert.Contains($"more than {rows:N0} rows", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChecklistWorkbookOfAlmostTheLimitSentChunkedIsImported()
    {
        var definition = DefaultChecklists.Get("due-diligence", 1) with { Id = "limit-sized", Version = 1 };
        var workbook = WorkbookOfAbout(definition, _limits.ChecklistXlsxBytes);
        using var body = new StreamedBody(workbook, Xlsx);

        using var response = await _admin.PostAsync("/api/checklists/import.xlsx", body, Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.InRange(workbook.Length, _limits.ChecklistXlsxBytes - (256 * 1024), _limits.ChecklistXlsxBytes);
    }

    [Fact]
    public async Task AReceiptOfExactlyTheLimitSentChunkedIsVerified()
    {
        using var body = new StreamedBody(Padded("{\"payload\":null}"u8.ToArray(), _limits.ReceiptBytes, (byte)' '), "application/json");

        using var response = await _admin.PostAsync("/api/receipts/verify", body, Token);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("format", report.GetProperty("checks")[0].GetProperty("check").GetString());
    }

    [Fact]
    public async Task JsonOfExactlyTheDefaultLimitSentChunkedReachesTheEndpoint()
    {
        using var body = new StreamedBody(Padded("{\"id\":\"\"}"u8.ToArray(), _limits.BodyBytes, (byte)' '), "application/json");

        using var response = await _admin.PostAsync("/api/checklists", body, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("errors", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStaffFormPastTheLimitIs413NotAStalePage()
    {
        using var body = new StreamedBody("__RequestVerificationToken=x&note="u8.ToArray(), _limits.BodyBytes + (2 * MiB), "application/x-www-form-urlencoded");

        using var response = await _admin.PostAsync("/staff/vendors/v-any/profile", body, Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(_limits.BodyBytes + 1, _meter.ReadFrom("/staff/vendors/v-any/profile"));
    }

    private long Limit(string name) => (long)typeof(RequestLimitsOptions).GetProperty(name)!.GetValue(_limits)!;

    private static byte[] Padded(byte[] head, long length, byte filler)
    {
        var padded = new byte[length];
        head.CopyTo(padded, 0);
        padded.AsSpan(head.Length).Fill(filler);
        return padded;
    }

    /// <summary>The checklist's workbook grown to just under <paramref name="limit"/> by incompressible extra fields on sheet "checklist" (import ignores them).</summary>
    private static byte[] WorkbookOfAbout(ChecklistDefinition definition, long limit)
    {
        var sheets = ReadBack(ChecklistXlsx.Export(definition));
        var random = new Random(13);
        var padding = new List<IReadOnlyList<string?>>();
        var bare = XlsxWorkbook.Write([("checklist", sheets["checklist"]), ("items", sheets["items"])]).Length;
        var rows = 64;
        var workbook = Padded(rows);
        // Each field is 24,000 random bytes as base64, which zip cannot shrink much: size up or down by the measured bytes per field.
        while (workbook.Length > limit || workbook.Length < limit - (256 * 1024))
        {
            var perRow = (double)(workbook.Length - bare) / rows;
            rows += (int)Math.Floor((limit - (128 * 1024) - workbook.Length) / perRow);
            workbook = Padded(rows);
        }

        byte[] Padded(int count)
        {
            while (padding.Count < count)
            {
                padding.Add([$"padding.{padding.Count}", Convert.ToBase64String(RandomBytes(random, 24_000))]);
            }

            return XlsxWorkbook.Write([("checklist", [.. sheets["checklist"], .. padding.Take(count)]), ("items", sheets["items"])]);
        }

        return workbook;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static Dictionary<string, List<IReadOnlyList<string?>>> ReadBack(byte[] workbook) =>
        XlsxWorkbook.Read(new MemoryStream(workbook)).ToDictionary(sheet => sheet.Key, sheet => sheet.Value.Select(row => (IReadOnlyList<string?>)row).ToList());
}
