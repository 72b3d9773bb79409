using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsPortal.Auth;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Tests.Vendors;

public sealed class VendorsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly PortalApplication _app = new(azurite);
    private HttpClient _admin = null!;
    private HttpClient _reviewer = null!;

    public async ValueTask InitializeAsync()
    {
        _admin = _app.CreateStaffClient(StaffRoles.Admin);
        _reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);
        await _app.Services.WhenStorageReadyAsync();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<VendorView> CreateAsync(Vendor vendor)
    {
        using var response = await _admin.PostAsJsonAsync("/api/vendors", vendor, Json, Token);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Token));
        return (await response.Content.ReadFromJsonAsync<VendorView>(Json, Token))!;
    }

    private async Task<HttpResponseMessage> PutAsync(string path, object body, string? etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, options: Json) };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        }

        return await _admin.SendAsync(request, Token);
    }

    [Fact]
    public async Task AnonymousCallersGet401AndReviewersCannotChangeTheRegistry()
    {
        using var anonymous = _app.CreateClient();

        using var list = await anonymous.GetAsync("/api/vendors", Token);
        using var create = await _reviewer.PostAsJsonAsync("/api/vendors", SampleVendors.Domestic(), Json, Token);
        using var read = await _reviewer.GetAsync("/api/vendors", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal("application/problem+json", list.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task CreatedVendorReadsBackWithItsETagAndRisk()
    {
        var created = await CreateAsync(SampleVendors.Domestic("株式会社ラウンドトリップ"));

        using var response = await _reviewer.GetAsync($"/api/vendors/{created.Id}", Token);
        var read = await response.Content.ReadFromJsonAsync<VendorView>(Json, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(created.ETag, response.Headers.ETag?.ToString());
        Assert.Equal("株式会社ラウンドトリップ", read!.Vendor.LegalName.Ja);
        Assert.Equal(created.Vendor.CorporateNumber, read.Vendor.CorporateNumber);
        Assert.Equal("low", read.Risk.EffectiveTier);
        Assert.Equal("staff@our-company.example.jp", read.UpdatedBy);
    }

    [Fact]
    public async Task InvalidVendorIsA400NamingEveryBadField()
    {
        var vendor = SampleVendors.Domestic() with
        {
            LegalName = new LocalizedName(" "),
            CorporateNumber = "1234567890123",
            ResponsibleOfficer = new Person("", null, "not-an-email"),
            Countries = new VendorCountries("Japan", ["JP"], ["jp"]),
            DataCategories = ["personal", "dna"],
            Contract = new ContractPeriod(new DateOnly(2026, 4, 1), new DateOnly(2025, 3, 31)),
        };

        using var response = await _admin.PostAsJsonAsync("/api/vendors", vendor, Json, Token);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "legalName.ja", "corporateNumber", "responsibleOfficer.name", "responsibleOfficer.title", "responsibleOfficer.email",
            "countries.company", "countries.access[0]", "dataCategories", "contract.endOn",
        }, fields);
    }

    [Fact]
    public async Task ACorporateNumberBelongsToOneVendorOnly()
    {
        var first = await CreateAsync(SampleVendors.Domestic());

        using var response = await _admin.PostAsJsonAsync("/api/vendors", SampleVendors.Domestic() with { CorporateNumber = first.Vendor.CorporateNumber }, Json, Token);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains(first.Id, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentEditsTheSecondGets409AndTheFirstIsKept()
    {
        var created = await CreateAsync(SampleVendors.Domestic());

        using var first = await PutAsync($"/api/vendors/{created.Id}", created.Vendor with { Notes = "first editor" }, created.ETag);
        using var second = await PutAsync($"/api/vendors/{created.Id}", created.Vendor with { Notes = "second editor" }, created.ETag);
        var stored = await _reviewer.GetFromJsonAsync<VendorView>($"/api/vendors/{created.Id}", Json, Token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("first editor", stored!.Vendor.Notes);
    }

    [Fact]
    public async Task AnUpdateWithoutIfMatchIsRefused()
    {
        var created = await CreateAsync(SampleVendors.Domestic());

        using var response = await PutAsync($"/api/vendors/{created.Id}", created.Vendor, etag: null);

        Assert.Equal((HttpStatusCode)428, response.StatusCode);
    }

    [Fact]
    public async Task ChangingTheCorporateNumberMovesItsReservation()
    {
        var created = await CreateAsync(SampleVendors.Domestic());
        var newNumber = SampleVendors.NextCorporateNumber();

        using var update = await PutAsync($"/api/vendors/{created.Id}", created.Vendor with { CorporateNumber = newNumber }, created.ETag);
        var reuseOld = await CreateAsync(SampleVendors.Domestic() with { CorporateNumber = created.Vendor.CorporateNumber });

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.NotEqual(created.Id, reuseOld.Id);
    }

    [Fact]
    public async Task SubcontractorsFormATreeOfAnyDepthAndCannotLoop()
    {
        var vendor = await CreateAsync(SampleVendors.Domestic("株式会社親"));
        var child = await CreateAsync(SampleVendors.Domestic("株式会社子", vendor.Id));
        var grandchild = await CreateAsync(SampleVendors.Domestic("株式会社孫", child.Id));

        var tree = await _reviewer.GetFromJsonAsync<SubcontractorNode>($"/api/vendors/{vendor.Id}/subcontractors", Json, Token);
        using var loop = await PutAsync($"/api/vendors/{vendor.Id}", vendor.Vendor with { ParentId = grandchild.Id }, vendor.ETag);
        using var orphan = await _admin.PostAsJsonAsync("/api/vendors", SampleVendors.Domestic(parentId: "v-missing"), Json, Token);
        var refreshed = await _reviewer.GetFromJsonAsync<VendorView>($"/api/vendors/{vendor.Id}", Json, Token);

        Assert.Equal(child.Id, Assert.Single(tree!.Subcontractors).Id);
        Assert.Equal(grandchild.Id, Assert.Single(tree.Subcontractors[0].Subcontractors).Id);
        Assert.Equal(HttpStatusCode.BadRequest, loop.StatusCode);
        Assert.Contains("own (indirect) subcontractor", await loop.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, orphan.StatusCode);
        // Having a subcontractor is itself a risk reason of the parent.
        Assert.Contains(refreshed!.Risk.Reasons, reason => reason.RuleId == "subcontracts");
    }

    [Fact]
    public async Task RiskTierShowsItsReasonsAndAStaffOverrideNeedsAReason()
    {
        var created = await CreateAsync(SampleVendors.Domestic() with
        {
            BusinessCategory = "call-centre",
            DataCategories = ["personal", "credit-card"],
            ApproximateRecords = 150_000,
        });

        var risk = await _reviewer.GetFromJsonAsync<RiskAssessment>($"/api/vendors/{created.Id}/risk", Json, Token);
        using var withoutReason = await PutAsync($"/api/vendors/{created.Id}/risk-override", new RiskOverrideRequest("low", " "), created.ETag);
        using var overridden = await PutAsync($"/api/vendors/{created.Id}/risk-override", new RiskOverrideRequest("medium", "Audited on site in October; controls verified"), created.ETag);
        var after = await overridden.Content.ReadFromJsonAsync<VendorView>(Json, Token);

        Assert.Equal("high", risk!.ComputedTier);
        Assert.Equal(["contact-centre", "credit-card", "records-100k", "records-10k"], risk.Reasons.Select(reason => reason.RuleId).Order(StringComparer.Ordinal));
        Assert.Equal(risk.Reasons.Sum(reason => reason.Points), risk.Points);
        Assert.Equal(2, risk.Plan.SurveysPerYear);
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, overridden.StatusCode);
        Assert.Equal("high", after!.Risk.ComputedTier);
        Assert.Equal("medium", after.Risk.EffectiveTier);
        Assert.Equal("Audited on site in October; controls verified", after.Risk.Override!.Reason);
        Assert.Equal("annual-full", after.Risk.Plan.Checklist);
    }

    [Fact]
    public async Task ListingFiltersAndPagesWithoutLosingOrRepeatingVendors()
    {
        var marker = "ページング" + Guid.NewGuid().ToString("N")[..6];
        var created = new List<VendorView>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await CreateAsync(SampleVendors.Domestic($"株式会社{marker}{i}") with { BusinessCategory = i % 2 == 0 ? "it-operations" : "bpo" }));
        }

        var seen = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await _reviewer.GetFromJsonAsync<VendorPage>($"/api/vendors?q={Uri.EscapeDataString(marker)}&pageSize=2" + (next is null ? "" : $"&continuation={Uri.EscapeDataString(next)}"), Json, Token);
            seen.AddRange(page!.Items.Select(item => item.Id));
            Assert.Equal(5, page.Total);
            next = page.Next;
            pages++;
        }
        while (next is not null);

        var filtered = await _reviewer.GetFromJsonAsync<VendorPage>($"/api/vendors?q={Uri.EscapeDataString(marker)}&category=it-operations", Json, Token);
        using var badToken = await _reviewer.GetAsync("/api/vendors?continuation=not-a-token", Token);

        Assert.Equal(3, pages);
        Assert.Equal(created.Select(view => view.Id).Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(3, filtered!.Items.Count);
        Assert.All(filtered.Items, item => Assert.Equal("it-operations", item.BusinessCategory));
        Assert.Equal(HttpStatusCode.BadRequest, badToken.StatusCode);
    }

    [Fact]
    public async Task PriorApprovalDecisionsRecordWhoAndWhyAndRejectionsNeedAReason()
    {
        var vendor = await CreateAsync(SampleVendors.Domestic());
        var subcontractor = await CreateAsync(SampleVendors.Domestic(parentId: vendor.Id) with { PriorApproval = new PriorApproval("requested", null, null, null) });

        using var rejectedWithoutReason = await PutAsync($"/api/vendors/{subcontractor.Id}/prior-approval", new PriorApprovalRequest("rejected", null), subcontractor.ETag);
        using var approved = await PutAsync($"/api/vendors/{subcontractor.Id}/prior-approval", new PriorApprovalRequest("approved", "Equivalent contract reviewed", WithoutDocument: true), subcontractor.ETag);
        var after = await approved.Content.ReadFromJsonAsync<VendorView>(Json, Token);

        Assert.Equal(HttpStatusCode.BadRequest, rejectedWithoutReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("approved", after!.Vendor.PriorApproval!.Status);
        Assert.Equal("staff@our-company.example.jp", after.Vendor.PriorApproval.By);
        Assert.NotNull(after.Vendor.PriorApproval.At);
        Assert.True(after.Vendor.PriorApproval.WithoutDocument);
    }

    [Fact]
    public async Task RiskRulesAndTheVendorApiArePublishedInOpenApi()
    {
        var rules = await _reviewer.GetFromJsonAsync<JsonElement>("/api/risk-rules", Token);
        using var anonymous = _app.CreateClient();
        var openApi = await anonymous.GetStringAsync("/openapi/v1.json", Token);

        Assert.True(rules.GetProperty("rules").GetArrayLength() >= 10);
        Assert.Contains("\"/api/vendors/{id}/risk\"", openApi, StringComparison.Ordinal);
        Assert.Contains("\"/api/risk-rules\"", openApi, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        _reviewer.Dispose();
        await _app.DisposeAsync();
    }
}
