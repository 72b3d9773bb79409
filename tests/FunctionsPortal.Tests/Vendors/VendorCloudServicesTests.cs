using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsPortal.Auth;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.Vendors;

/// <summary>
/// The registry's cloud services and stated subcontracting: validated, in the CSV both ways (a file made before these
/// columns leaves them as they are), and on the staff profile form.
/// </summary>
public sealed partial class VendorCloudServicesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private PortalApplication _app = null!;
    private HttpClient _admin = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        _admin = _app.CreateStaffClient(StaffRoles.Admin);
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<HttpStatusCode> ImportAsync(string csv)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = new("text/csv");
        using var response = await _admin.PostAsync("/api/vendors/import", content, Token);
        return response.StatusCode;
    }

    private static string Csv(string id, string number, string? extraHeader = null, string? extraCells = null) =>
        "id,legalNameJa,corporateNumber,businessCategory,officerName,officerTitle,officerEmail,ownerName,ownerEmail,dataCategories,companyCountry,storageCountries,accessCountries"
        + (extraHeader is null ? "" : "," + extraHeader) + "\r\n"
        + $"{id},株式会社クラウド,{number},bpo,受任 太郎,取締役,officer@vendor.example.jp,社内 花子,owner@our-company.example.jp,personal,JP,JP,JP"
        + (extraCells is null ? "" : "," + extraCells) + "\r\n";

    [Fact]
    public void CloudServicesAreTrimmedDeduplicatedAndBounded()
    {
        var vendor = VendorValidator.Normalize(SampleVendors.Domestic() with { CloudServices = [" AWS, S3, Tokyo ", "", "aws, s3, tokyo", "Box"] });
        var tooMany = SampleVendors.Domestic() with { CloudServices = [.. Enumerable.Range(0, VendorValidator.MaxCloudServices + 1).Select(i => $"service {i}")] };
        var tooLong = SampleVendors.Domestic() with { CloudServices = [new string('x', 201)] };

        Assert.Equal(["AWS, S3, Tokyo", "Box"], vendor.CloudServices);
        Assert.Empty(VendorValidator.Validate(vendor));
        Assert.Contains("cloudServices", VendorValidator.Validate(tooMany).Keys);
        Assert.Contains("cloudServices[0]", VendorValidator.Validate(tooLong).Keys);
    }

    [Fact]
    public async Task TheCsvCarriesThemBothWaysAndAnOlderFileLeavesThemAsTheyAre()
    {
        var id = "cloud-" + Guid.NewGuid().ToString("N")[..8];
        var number = SampleVendors.NextCorporateNumber();
        var store = _app.Services.GetRequiredService<VendorStore>();

        var imported = await ImportAsync(Csv(id, number, "subcontracts,cloudServices", "yes,\"AWS, S3, Tokyo;Box\""));
        var afterImport = (await store.FindAsync(id, Token))!.Vendor;
        var olderFile = await ImportAsync(Csv(id, number));
        var afterOlderFile = (await store.FindAsync(id, Token))!.Vendor;
        var badFlag = await ImportAsync(Csv(id, number, "subcontracts", "perhaps"));
        var export = await _admin.GetStringAsync("/api/vendors/export.csv", Token);

        Assert.Equal(HttpStatusCode.OK, imported);
        Assert.True(afterImport.Subcontracts);
        Assert.Equal(["AWS, S3, Tokyo", "Box"], afterImport.CloudServices);
        Assert.Equal(HttpStatusCode.OK, olderFile);
        Assert.True(afterOlderFile.Subcontracts);
        Assert.Equal(["AWS, S3, Tokyo", "Box"], afterOlderFile.CloudServices);
        Assert.Equal(HttpStatusCode.BadRequest, badFlag);
        Assert.Contains(",subcontracts,cloudServices,", export, StringComparison.Ordinal);
        Assert.Contains(",yes,\"AWS, S3, Tokyo;Box\",", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheProfileFormSavesThemAndTheVendorPageShowsThem()
    {
        var id = "vk" + Guid.NewGuid().ToString("N")[..10];
        var record = await _app.Services.GetRequiredService<VendorStore>().AddAsync(id, SampleVendors.Domestic("株式会社プロファイル"), "test", Token);
        var url = $"/staff/vendors/{id}";
        var page = await PageAsync(_admin, url);

        var saved = await (await PostPageFormAsync(_admin, page, url + "/profile",
        [
            ("etag", WebUtility.HtmlDecode(ETag().Match(page).Groups[1].Value)), ("nameJa", "株式会社プロファイル"), ("corporateNumber", record.Vendor.CorporateNumber!), ("businessCategory", "bpo"),
            ("lifecycleStatus", "active"), ("officerName", "受任 太郎"), ("officerTitle", "取締役"), ("officerEmail", "officer@vendor.example.jp"), ("ownerName", "社内 花子"),
            ("ownerEmail", "owner@our-company.example.jp"), ("subcontracts", "no"), ("cloudServices", "Microsoft 365, Exchange Online, Japan\r\nBox"),
        ])).Content.ReadAsStringAsync(Token);
        var view = await _admin.GetFromJsonAsync<VendorView>($"/api/vendors/{id}", Json, Token);

        Assert.Contains("基本情報を更新しました", saved, StringComparison.Ordinal);
        Assert.Contains("再委託なし", saved, StringComparison.Ordinal);
        Assert.Contains("Microsoft 365, Exchange Online, Japan; Box", saved, StringComparison.Ordinal);
        Assert.False(view!.Vendor.Subcontracts);
        Assert.Equal(["Microsoft 365, Exchange Online, Japan", "Box"], view.Vendor.CloudServices);
    }

    [GeneratedRegex(@"name=""etag"" value=""([^""]+)""")]
    private static partial Regex ETag();
}
