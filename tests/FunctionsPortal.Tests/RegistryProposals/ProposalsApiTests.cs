using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsPortal.Audit;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.RegistryProposals;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.RegistryProposals;

/// <summary>
/// /api/vendors/{id}/proposals: staff read the proposals; administrators confirm one (the registry's ETag-guarded update,
/// the previous version kept, audited) or dismiss it with a reason.
/// </summary>
public sealed class ProposalsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private PortalApplication _app = null!;
    private HttpClient _admin = null!;
    private HttpClient _reviewer = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await Services.WhenStorageReadyAsync();
        _admin = _app.CreateStaffClient(StaffRoles.Admin, "admin@our-company.example.jp");
        _reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        _reviewer.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>A vendor whose sealed answers proposed cloud services and countries abroad.</summary>
    private async Task<(string VendorId, RegistryProposal Cloud, RegistryProposal Countries)> ProposedAsync()
    {
        var vendorId = (await Services.GetRequiredService<VendorRegistry>().CreateAsync(SampleVendors.Domestic(), "test", Token, "vp" + Guid.NewGuid().ToString("N")[..10])).Id;
        await ScopingScenario.AnswerAndSealAsync(Services, await ScopingScenario.SurveyAsync(Services, vendorId, Token), new Dictionary<string, ItemAnswer>
        {
            [ScopingItems.Cloud] = ScopingScenario.Yes, [ScopingItems.CloudServices] = ScopingScenario.Text("AWS, S3, ap-northeast-1\nBox"),
            [ScopingItems.Overseas] = ScopingScenario.Yes, [ScopingItems.Countries] = ScopingScenario.Text("Singapore"),
        }, Token);
        var proposals = await _reviewer.GetFromJsonAsync<List<RegistryProposal>>($"/api/vendors/{vendorId}/proposals", Json, Token);
        return (vendorId, proposals!.Single(proposal => proposal.Field == ProposalFields.CloudServices), proposals!.Single(proposal => proposal.Field == ProposalFields.OverseasCountries));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string? etag = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return client.SendAsync(request, Token);
    }

    private async Task<string> ETagAsync(string vendorId) => (await Services.GetRequiredService<VendorRegistry>().RecordAsync(vendorId, Token))!.ETag;

    [Fact]
    public async Task ConfirmingAppliesTheChangeWithTheETagKeepsThePreviousVersionAndAuditsIt()
    {
        var (vendorId, cloud, countries) = await ProposedAsync();
        var path = $"/api/vendors/{vendorId}/proposals";
        var etag = await ETagAsync(vendorId);

        using var withoutETag = await PostAsync(_admin, $"{path}/{cloud.Id}/confirm", new ConfirmProposalRequest(null));
        using var byReviewer = await PostAsync(_reviewer, $"{path}/{cloud.Id}/confirm", new ConfirmProposalRequest(null), etag);
        using var confirmed = await PostAsync(_admin, $"{path}/{cloud.Id}/confirm", new ConfirmProposalRequest(null), etag);
        using var stale = await PostAsync(_admin, $"{path}/{countries.Id}/confirm", new ConfirmProposalRequest(CountryTargets.Storage), etag);
        using var again = await PostAsync(_admin, $"{path}/{cloud.Id}/confirm", new ConfirmProposalRequest(null), await ETagAsync(vendorId));
        using var countriesConfirmed = await PostAsync(_admin, $"{path}/{countries.Id}/confirm", new ConfirmProposalRequest(CountryTargets.Storage), await ETagAsync(vendorId));
        var record = (await Services.GetRequiredService<VendorRegistry>().RecordAsync(vendorId, Token))!;
        var previous = await Services.GetRequiredService<VendorRegistry>().PreviousVersionsAsync(vendorId, Token);
        var trail = await Services.GetRequiredService<AuditTrail>().ListAsync(vendorId, 20, null, Token);

        Assert.Equal(HttpStatusCode.PreconditionRequired, withoutETag.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(ProposalStatuses.Confirmed, (await confirmed.Content.ReadFromJsonAsync<RegistryProposal>(Json, Token))!.Status);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, countriesConfirmed.StatusCode);
        Assert.Equal(["AWS, S3, ap-northeast-1", "Box"], record.Vendor.CloudServices);
        Assert.Equal(["JP", "SG"], record.Vendor.Countries.Storage);
        Assert.Equal(["JP"], record.Vendor.Countries.Access);
        Assert.Equal("admin@our-company.example.jp", record.UpdatedBy);
        Assert.Equal(2, previous.Count);
        Assert.Empty(previous[^1].Vendor.CloudServices);
        Assert.Equal(2, trail.Records.Count(entry => entry.Action == AuditActions.RegistryChangeConfirmed && entry.By == "admin@our-company.example.jp"));
        Assert.Contains(trail.Records, entry => entry.Action == AuditActions.VendorUpdated && entry.After!.Contains("Box", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DismissingNeedsAReasonAndIsAudited()
    {
        var (vendorId, cloud, _) = await ProposedAsync();
        var path = $"/api/vendors/{vendorId}/proposals/{cloud.Id}/dismiss";

        using var noReason = await PostAsync(_admin, path, new DismissProposalRequest(" "));
        using var dismissed = await PostAsync(_admin, path, new DismissProposalRequest("契約上クラウド利用は禁止、回答の誤り"));
        using var unknown = await PostAsync(_admin, $"/api/vendors/{vendorId}/proposals/cloudServices-000/dismiss", new DismissProposalRequest("x"));
        var trail = await Services.GetRequiredService<AuditTrail>().ListAsync(vendorId, 20, null, Token);

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var record = (await Services.GetRequiredService<ProposalDecisions>().ListAsync(vendorId, Token)).Single(proposal => proposal.Id == cloud.Id);
        Assert.Equal((ProposalStatuses.Dismissed, "契約上クラウド利用は禁止、回答の誤り", "admin@our-company.example.jp"), (record.Status, record.Reason, record.DecidedBy));
        Assert.Empty((await Services.GetRequiredService<VendorRegistry>().RecordAsync(vendorId, Token))!.Vendor.CloudServices);
        Assert.Contains(trail.Records, entry => entry.Action == AuditActions.RegistryChangeDismissed && entry.After!.Contains("回答の誤り", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnknownVendorIsNotFound()
    {
        using var response = await _reviewer.GetAsync("/api/vendors/vnobody/proposals", Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
