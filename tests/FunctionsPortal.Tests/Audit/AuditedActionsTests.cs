using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsPortal.Audit;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Audit;

/// <summary>Every staff change and every sealing lands in the right chain, with who did it and what changed.</summary>
public sealed class AuditedActionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string AdminName = "admin@our-company.example.jp";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private PortalApplication _app = null!;
    private HttpClient _admin = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        _admin = _app.CreateStaffClient($"{StaffRoles.Admin}, {StaffRoles.Reviewer}", AdminName);
        await Services.WhenStorageReadyAsync();
        await Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<IReadOnlyList<AuditRecord>> TrailAsync(string chain) =>
        (await Services.GetRequiredService<AuditTrail>().ListAsync(chain, 50, null, Token)).Records;

    private async Task<InvitedVendor> SealedAsync()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(Services, invited, Token)).Status);
        return invited;
    }

    [Fact]
    public async Task SealingIsRecordedAsTheVendorAndEachDecisionAsTheReviewer()
    {
        var accepted = await SealedAsync();
        var sentBack = await SealedAsync();

        using var accept = await _admin.PostAsync($"/api/assignments/{accepted.Assignment.Key}/accept", null, Token);
        using var changes = await _admin.PostAsJsonAsync($"/api/assignments/{sentBack.Assignment.Key}/request-changes", new { message = "GOV-03 の根拠資料を添付してください。" }, Json, Token);
        var acceptedTrail = await TrailAsync(accepted.VendorId);
        var sentBackTrail = await TrailAsync(sentBack.VendorId);

        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changes.StatusCode);
        Assert.Equal([AuditActions.ReviewAccepted, AuditActions.SubmissionSealed, AuditActions.VendorCreated], acceptedTrail.Select(record => record.Action));
        var sealedRecord = acceptedTrail[1];
        Assert.Equal(($"vendor:{accepted.Assignment.Key}", accepted.Assignment.Key), (sealedRecord.By, sealedRecord.Subject));
        Assert.Contains("\"version\":1", sealedRecord.After, StringComparison.Ordinal);
        Assert.Equal((AdminName, accepted.Assignment.Key), (acceptedTrail[0].By, acceptedTrail[0].Subject));
        Assert.Equal("{\"status\":\"submitted\"}", acceptedTrail[0].Before);
        Assert.Contains("\"status\":\"accepted\"", acceptedTrail[0].After, StringComparison.Ordinal);
        Assert.Equal(AuditActions.ReviewChangesRequested, sentBackTrail[0].Action);
        Assert.Contains("GOV-03 の根拠資料を添付してください。", sentBackTrail[0].After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegistryUpdateRecordsOnlyWhatChangedBeforeAndAfter()
    {
        using var created = await _admin.PostAsJsonAsync("/api/vendors", SampleVendors.Domestic("株式会社監査対象"), Json, Token);
        var view = (await created.Content.ReadFromJsonAsync<VendorView>(Json, Token))!;
        using var update = new HttpRequestMessage(HttpMethod.Put, $"/api/vendors/{view.Id}") { Content = JsonContent.Create(view.Vendor with { ApproximateRecords = 8000 }, options: Json) };
        update.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(view.ETag));
        using var updated = await _admin.SendAsync(update, Token);
        var etag = (await updated.Content.ReadFromJsonAsync<VendorView>(Json, Token))!.ETag;
        using var riskOverride = new HttpRequestMessage(HttpMethod.Put, $"/api/vendors/{view.Id}/risk-override") { Content = JsonContent.Create(new RiskOverrideRequest("high", "On-site audit found gaps"), options: Json) };
        riskOverride.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        using var overridden = await _admin.SendAsync(riskOverride, Token);
        var trail = await TrailAsync(view.Id);

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, overridden.StatusCode);
        Assert.Equal([AuditActions.VendorRiskOverride, AuditActions.VendorUpdated, AuditActions.VendorCreated], trail.Select(record => record.Action));
        Assert.Equal("{\"approximateRecords\":500}", trail[1].Before);
        Assert.Equal("{\"approximateRecords\":8000}", trail[1].After);
        Assert.Equal("{\"riskOverride\":null}", trail[0].Before);
        Assert.Contains("On-site audit found gaps", trail[0].After, StringComparison.Ordinal);
        Assert.All(trail, record => Assert.Equal(AdminName, record.By));
    }

    [Fact]
    public async Task RevokingALinkAndMovingADueDateAreRecordedOnTheVendorsChain()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        var newDue = invited.Assignment.DueOn.AddDays(14);

        using var revoked = await _admin.PostAsync($"/api/assignments/{invited.Assignment.Key}/revoke-link", null, Token);
        using var moved = await _admin.PutAsJsonAsync($"/api/assignments/{invited.Assignment.Key}/due-date", new DueDateRequest(newDue, "Vendor asked for two weeks"), Json, Token);
        using var missing = await _admin.PostAsync("/api/assignments/c-none~v-none~annual/revoke-link", null, Token);
        var trail = await TrailAsync(invited.VendorId);

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal([AuditActions.AssignmentDueDateMoved, AuditActions.LinkRevoked], trail.Take(2).Select(record => record.Action));
        Assert.Equal("{\"revoked\":true}", trail[1].After);
        Assert.Equal($"{{\"dueOn\":\"{invited.Assignment.DueOn:yyyy-MM-dd}\"}}", trail[0].Before);
        Assert.Contains($"\"dueOn\":\"{newDue:yyyy-MM-dd}\"", trail[0].After, StringComparison.Ordinal);
        Assert.Empty(await TrailAsync("v-none"));
    }

    [Fact]
    public async Task ALaunchedCampaignIsRecordedOnThePortalChain()
    {
        await Services.GetRequiredService<VendorRegistry>().CreateAsync(SampleVendors.Domestic("株式会社キャンペーン"), "test", Token);
        var request = new CampaignRequest("FY2026 監査テスト", SurveyKinds.Annual, "annual-lite", 1, null, 30, new CampaignTarget());

        using var preview = await _admin.PostAsJsonAsync("/api/campaigns?dryRun=true", request, Json, Token);
        var afterPreview = await TrailAsync(AuditTrail.PortalChain);
        using var launched = await _admin.PostAsJsonAsync("/api/campaigns", request, Json, Token);
        var launch = (await launched.Content.ReadFromJsonAsync<CampaignLaunch>(Json, Token))!;
        var trail = await TrailAsync(AuditTrail.PortalChain);

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Empty(afterPreview);
        Assert.Equal(HttpStatusCode.Created, launched.StatusCode);
        var record = Assert.Single(trail);
        Assert.Equal((AuditActions.CampaignLaunched, AdminName, launch.Campaign.Id), (record.Action, record.By, record.Subject));
        Assert.Contains($"\"created\":{launch.Report.Created}", record.After, StringComparison.Ordinal);
        Assert.True((await Services.GetRequiredService<AuditTrail>().VerifyChainAsync(AuditTrail.PortalChain, null, Token)).Intact);
    }
}
