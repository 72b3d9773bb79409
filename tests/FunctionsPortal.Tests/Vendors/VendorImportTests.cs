using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FunctionsPortal.Auth;
using FunctionsPortal.Spreadsheets;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Tests.Vendors;

public sealed class VendorImportTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly PortalApplication _app = new(azurite);
    private HttpClient _admin = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _admin = _app.CreateStaffClient(StaffRoles.Admin);
        await _app.Services.WhenStorageReadyAsync();
    }

    private async Task<(HttpStatusCode Status, VendorImportReport Report)> ImportAsync(byte[] file, bool partial = false)
    {
        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new("text/csv");
        using var response = await _admin.PostAsync($"/api/vendors/import?partial={partial.ToString().ToLowerInvariant()}", content, Token);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Token);
        var report = response.IsSuccessStatusCode ? body : body.GetProperty("report");
        return (response.StatusCode, report.Deserialize<VendorImportReport>(Json)!);
    }

    /// <summary>A sheet as a Japanese Excel user saves it: Shift_JIS, CRLF, slashed dates.</summary>
    private static byte[] ExcelSheet(params string[] dataRows) => TextEncodings.Encode(
        "legalNameJa,legalNameEn,corporateNumber,businessCategory,officerName,officerTitle,officerEmail,ownerName,ownerEmail,dataCategories,approximateRecords,companyCountry,storageCountries,accessCountries,certifications,workLocations,contractStart,contractEnd,lifecycleStatus,id,parentId\r\n"
        + string.Concat(dataRows.Select(row => row + "\r\n")), TextEncodings.ShiftJis);

    private static string Row(string name, string number, string email = "officer@vendor.example.jp", string id = "", string parentId = "", string records = "1,200") =>
        $"{name},,{number},bpo,受任 太郎,取締役,{email},社内 花子,owner@our-company.example.jp,personal;sensitive,\"{records}\",JP,JP,JP,privacymark||10800000(01)|2028/03/31,vendor-premises,2024/04/01,,active,{id},{parentId}";

    [Fact]
    public async Task AShiftJisSheetFromExcelImportsAndImportingItAgainChangesNothing()
    {
        var sheet = ExcelSheet(Row("株式会社シフトジス", SampleVendors.NextCorporateNumber()), Row("株式会社二行目", SampleVendors.NextCorporateNumber()));

        var first = await ImportAsync(sheet);
        var second = await ImportAsync(sheet);
        var listed = await _admin.GetFromJsonAsync<VendorPage>("/api/vendors?q=%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE", Json, Token);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((TextEncodings.ShiftJis, 2, 2, 0, 0), (first.Report.Encoding, first.Report.Rows, first.Report.Created, first.Report.Updated, first.Report.Unchanged));
        Assert.Equal((0, 0, 2), (second.Report.Created, second.Report.Updated, second.Report.Unchanged));
        Assert.Equal(2, listed!.Total);
        var vendor = await _admin.GetFromJsonAsync<VendorView>($"/api/vendors/{listed.Items[0].Id}", Json, Token);
        Assert.Equal(1200, vendor!.Vendor.ApproximateRecords);
        Assert.Equal(new DateOnly(2028, 3, 31), vendor.Vendor.Certifications[0].ExpiresOn);
    }

    [Fact]
    public async Task OneBadRowImportsNothingAndEveryBadRowAndFieldIsReported()
    {
        var sheet = ExcelSheet(
            Row("株式会社正しい", SampleVendors.NextCorporateNumber()),
            Row("株式会社メール誤り", SampleVendors.NextCorporateNumber(), email: "not-an-email"),
            Row("株式会社番号誤り", "1234567890123", records: "many"));

        var (status, report) = await ImportAsync(sheet);
        var listed = await _admin.GetFromJsonAsync<VendorPage>("/api/vendors", Json, Token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(report.Applied);
        Assert.Equal(0, listed!.Total);
        Assert.Contains(report.Errors, error => error.Line == 3 && error.Column == "officerEmail");
        Assert.Contains(report.Errors, error => error.Line == 4 && error.Column == "corporateNumber");
        Assert.Contains(report.Errors, error => error.Line == 4 && error.Column == "approximateRecords");
        Assert.DoesNotContain(report.Errors, error => error.Line == 2);
    }

    [Fact]
    public async Task PartialImportWritesTheValidRowsAndReportsTheRest()
    {
        var sheet = ExcelSheet(Row("株式会社正しい", SampleVendors.NextCorporateNumber()), Row("株式会社誤り", SampleVendors.NextCorporateNumber(), email: "bad"));

        var (status, report) = await ImportAsync(sheet, partial: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, report.Created);
        Assert.Equal(3, Assert.Single(report.Errors).Line);
    }

    [Fact]
    public async Task ASubcontractorMayComeBeforeItsParentInTheFile()
    {
        var sheet = ExcelSheet(
            Row("株式会社再委託先", SampleVendors.NextCorporateNumber(), id: "sub-a", parentId: "parent-a"),
            Row("株式会社委託先", SampleVendors.NextCorporateNumber(), id: "parent-a"));

        var (status, report) = await ImportAsync(sheet);
        var tree = await _admin.GetFromJsonAsync<SubcontractorNode>("/api/vendors/parent-a/subcontractors", Json, Token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, report.Created);
        Assert.Equal("sub-a", Assert.Single(tree!.Subcontractors).Id);
    }

    [Theory]
    [InlineData(TextEncodings.Utf8)]
    [InlineData(TextEncodings.ShiftJis)]
    public async Task AnExportImportsBackUnchangedInBothEncodings(string encoding)
    {
        await ImportAsync(ExcelSheet(Row("株式会社往復", SampleVendors.NextCorporateNumber(), id: "round-trip"), Row("株式会社往復子", SampleVendors.NextCorporateNumber(), parentId: "round-trip")));

        using var export = await _admin.GetAsync($"/api/vendors/export.csv?encoding={encoding}", Token);
        var bytes = await export.Content.ReadAsByteArrayAsync(Token);
        var (status, report) = await ImportAsync(bytes);

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal(encoding, TextEncodings.Decode(bytes).Encoding);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((0, 0, 2), (report.Created, report.Updated, report.Unchanged));
    }

    [Fact]
    public async Task UnknownAndMissingColumnsAreNamed()
    {
        var (status, report) = await ImportAsync(Encoding.UTF8.GetBytes("legalNameJa,favouriteColour\r\n株式会社,blue\r\n"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(report.Errors, error => error.Column == "favouriteColour");
        Assert.Contains(report.Errors, error => error.Column == "officerEmail" && error.Message.Contains("missing", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
    }
}
