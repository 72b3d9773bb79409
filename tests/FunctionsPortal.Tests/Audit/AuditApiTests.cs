using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FunctionsPortal.Audit;
using FunctionsPortal.Auth;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.Audit;

/// <summary>GET /api/audit and /api/audit/verify for staff only, and the trail on the staff vendor page.</summary>
public sealed class AuditApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private PortalApplication _app = null!;
    private HttpClient _reviewer = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        _reviewer = _app.CreateStaffClient(StaffRoles.Reviewer, "reviewer@our-company.example.jp");
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _reviewer.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>A vendor with three records: registered, then changed twice.</summary>
    private async Task<string> VendorWithHistoryAsync()
    {
        var registry = _app.Services.GetRequiredService<VendorRegistry>();
        var view = await registry.CreateAsync(SampleVendors.Domestic("株式会社証跡"), "admin@our-company.example.jp", Token);
        view = await registry.UpdateAsync(view.Id, view.ETag, view.Vendor with { ApproximateRecords = 900 }, "admin@our-company.example.jp", Token);
        await registry.SetRiskOverrideAsync(view.Id, view.ETag, "high", "Call centre abroad", "admin@our-company.example.jp", Token);
        return view.Id;
    }

    private async Task TamperAsync(string chain, long sequence)
    {
        var table = _app.Services.GetRequiredService<PortalStorage>().GetTable(AuditTrail.TableName);
        var row = (await table.GetEntityAsync<TableEntity>(chain, sequence.ToString("D12", System.Globalization.CultureInfo.InvariantCulture), cancellationToken: Token)).Value;
        row["Action"] = AuditActions.VendorCreated;
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace, Token);
    }

    [Fact]
    public async Task OnlyStaffReadTheTrail()
    {
        using var anonymous = _app.CreateClient();
        using var noRole = _app.CreateStaffClient("Portal.Guest");

        using var list = await anonymous.GetAsync("/api/audit?vendorId=v1", Token);
        using var verify = await anonymous.GetAsync("/api/audit/verify", Token);
        using var listWithoutRole = await noRole.GetAsync("/api/audit?vendorId=v1", Token);
        using var verifyWithoutRole = await noRole.GetAsync("/api/audit/verify", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, verify.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, listWithoutRole.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, verifyWithoutRole.StatusCode);
    }

    [Fact]
    public async Task AReviewerListsAVendorsRecordsNewestFirstInPages()
    {
        var vendorId = await VendorWithHistoryAsync();

        var first = await _reviewer.GetFromJsonAsync<AuditPage>($"/api/audit?vendorId={vendorId}&pageSize=2", Json, Token);
        var rest = await _reviewer.GetFromJsonAsync<AuditPage>($"/api/audit?vendorId={vendorId}&pageSize=2&continuation={first!.Continuation}", Json, Token);
        using var noVendor = await _reviewer.GetAsync("/api/audit", Token);
        using var badContinuation = await _reviewer.GetAsync($"/api/audit?vendorId={vendorId}&continuation=x", Token);

        Assert.Equal([AuditActions.VendorRiskOverride, AuditActions.VendorUpdated], first.Records.Select(record => record.Action));
        Assert.Equal(3, first.HeadSequence);
        Assert.Equal([AuditActions.VendorCreated], rest!.Records.Select(record => record.Action));
        Assert.Null(rest.Continuation);
        Assert.All(first.Records.Concat(rest.Records), record => Assert.Equal(vendorId, record.Chain));
        Assert.Equal(HttpStatusCode.BadRequest, noVendor.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badContinuation.StatusCode);
    }

    [Fact]
    public async Task VerifyNamesTheFirstBrokenRecordOfEachBrokenChain()
    {
        var intact = await VendorWithHistoryAsync();
        var tampered = await VendorWithHistoryAsync();

        var before = await _reviewer.GetFromJsonAsync<AuditVerification>("/api/audit/verify", Json, Token);
        await TamperAsync(tampered, 2);
        var after = await _reviewer.GetFromJsonAsync<AuditVerification>("/api/audit/verify", Json, Token);

        Assert.True(before!.Intact);
        Assert.True(before.Chains >= 2);
        Assert.False(after!.Intact);
        var broken = Assert.Single(after.Broken);
        Assert.Equal((tampered, 2L), (broken.Chain, broken.BrokenAt!.Value));
        Assert.Contains("changed after it was written", broken.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(after.Broken, chain => chain.Chain == intact);
    }

    [Fact]
    public async Task TheStaffVendorPageShowsTheTrailAndWhereItBroke()
    {
        var vendorId = await VendorWithHistoryAsync();
        var url = $"/staff/vendors/{vendorId}";

        var intact = await PageAsync(_reviewer, url);
        await TamperAsync(vendorId, 3);
        var broken = await PageAsync(_reviewer, url);
        using var english = _app.CreateStaffClient(StaffRoles.Reviewer);
        english.DefaultRequestHeaders.Add("Cookie", "portal-lang=en");
        var inEnglish = await PageAsync(english, url);

        Assert.Contains("監査証跡", intact, StringComparison.Ordinal);
        Assert.Contains("✓ 改ざんなし: 3件の記録", intact, StringComparison.Ordinal);
        Assert.Contains("リスク区分を手動設定", intact, StringComparison.Ordinal);
        Assert.Contains("登録内容を変更", intact, StringComparison.Ordinal);
        Assert.Contains("admin@our-company.example.jp", intact, StringComparison.Ordinal);
        Assert.Contains("✗ 記録 3 で連鎖が壊れています", broken, StringComparison.Ordinal);
        Assert.Contains("Audit trail", inEnglish, StringComparison.Ordinal);
        Assert.Contains("Broken at record 3", inEnglish, StringComparison.Ordinal);
        Assert.Contains("Registry entry changed", inEnglish, StringComparison.Ordinal);
    }
}
