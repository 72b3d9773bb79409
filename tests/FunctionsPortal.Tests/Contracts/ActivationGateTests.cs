using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Contracts;
using FunctionsPortal.Reviews;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Contracts;

/// <summary>A vendor becomes active through a staff edit only with an accepted due diligence and a recorded 覚書 (each configurable); creation is not gated.</summary>
public sealed class ActivationGateTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private PortalApplication _app = null!;
    private HttpClient _admin = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private VendorRegistry Registry => _app.Services.GetRequiredService<VendorRegistry>();

    public async ValueTask InitializeAsync() => await StartAsync(new PortalApplication(azurite));

    private async Task StartAsync(PortalApplication app)
    {
        if (_app is not null)
        {
            _admin.Dispose();
            await _app.DisposeAsync();
        }

        _app = app;
        _admin = _app.CreateStaffClient(StaffRoles.Admin);
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PutAsync(string id, Vendor vendor, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/vendors/{id}") { Content = JsonContent.Create(vendor, options: Json) };
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return await _admin.SendAsync(request, Token);
    }

    private async Task<HttpResponseMessage> ActivateAsync(string id)
    {
        var current = (await Registry.RecordAsync(id, Token))!;
        return await PutAsync(id, current.Vendor with { LifecycleStatus = "active" }, current.ETag);
    }

    private async Task RecordMemorandumAsync(string id)
    {
        var current = (await Registry.RecordAsync(id, Token))!;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/vendors/{id}/contracts")
        {
            Content = ContractsApiTests.Form(ContractsApiTests.Fields(ContractKinds.Memorandum, clauses: ["securityMeasures"]), SurveyScenario.Pdf("覚書")),
        };
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(current.ETag));
        using var response = await _admin.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<string[]> LifecycleErrorsAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Http.HttpValidationProblemDetails>(Json, Token))!.Errors["lifecycleStatus"];

    [Fact]
    public async Task AnOnboardingVendorBecomesActiveOnlyOnceItsDueDiligenceIsAcceptedAndItsMemorandumRecorded()
    {
        await _app.Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
        var invited = await SurveyScenario.InviteAsync(_app.Services, Token, checklistId: "due-diligence", kind: SurveyKinds.DueDiligence,
            vendor: SampleVendors.Domestic("株式会社新規委託先") with { LifecycleStatus = "onboarding" });

        using var neither = await ActivateAsync(invited.VendorId);
        var neitherErrors = await LifecycleErrorsAsync(neither);
        await SurveyScenario.CompleteDraftAsync(_app.Services, invited, Token);
        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(_app.Services, invited, Token)).Status);
        Assert.Equal(AcceptResult.Accepted, (await _app.Services.GetRequiredService<ReviewDecisions>().AcceptAsync(invited.Assignment.Key, "reviewer@our-company.example.jp", null, Token)).Result);
        using var withoutMemorandum = await ActivateAsync(invited.VendorId);
        var withoutMemorandumErrors = await LifecycleErrorsAsync(withoutMemorandum);
        var stillOnboarding = (await Registry.RecordAsync(invited.VendorId, Token))!.Vendor.LifecycleStatus;
        await RecordMemorandumAsync(invited.VendorId);
        using var both = await ActivateAsync(invited.VendorId);

        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
        Assert.Contains("デューデリジェンス", Assert.Single(neitherErrors), StringComparison.Ordinal);
        Assert.Contains("覚書", neitherErrors[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutMemorandum.StatusCode);
        Assert.DoesNotContain("デューデリジェンス", Assert.Single(withoutMemorandumErrors), StringComparison.Ordinal);
        Assert.Contains("覚書", withoutMemorandumErrors[0], StringComparison.Ordinal);
        Assert.Equal("onboarding", stillOnboarding);
        Assert.Equal(HttpStatusCode.OK, both.StatusCode);
        Assert.Equal("active", (await Registry.RecordAsync(invited.VendorId, Token))!.Vendor.LifecycleStatus);
    }

    [Fact]
    public async Task CreationIsNotGatedButTheVendorIsFlaggedAndEditsWhileActiveOrLeavingActiveAreAllowed()
    {
        var created = await Registry.CreateAsync(SampleVendors.Domestic("株式会社既存取引先"), "import", Token, "va" + Guid.NewGuid().ToString("N")[..10]);
        var contracts = await _admin.GetFromJsonAsync<VendorContracts>($"/api/vendors/{created.Id}/contracts", Json, Token);

        using var renamed = await PutAsync(created.Id, created.Vendor with { Notes = "既存の取引" }, created.ETag);
        var current = (await Registry.RecordAsync(created.Id, Token))!;
        using var terminating = await PutAsync(created.Id, current.Vendor with { LifecycleStatus = "terminating" }, current.ETag);
        using var backToActive = await ActivateAsync(created.Id);

        Assert.Equal("active", created.Vendor.LifecycleStatus);
        Assert.Equal(["due-diligence", "memorandum"], contracts!.MissingForActivation.Select(requirement => requirement.Name));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, terminating.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, backToActive.StatusCode);
    }

    [Fact]
    public async Task EachRequirementCanBeSwitchedOff()
    {
        await StartAsync(new PortalApplication(azurite, settings: new Dictionary<string, string?>
        {
            ["Contracts:ActivationRequiresDueDiligence"] = "false",
        }));
        var memorandumOnly = await Registry.CreateAsync(SampleVendors.Domestic() with { LifecycleStatus = "onboarding" }, "test", Token);
        using var refused = await ActivateAsync(memorandumOnly.Id);
        await RecordMemorandumAsync(memorandumOnly.Id);
        using var allowed = await ActivateAsync(memorandumOnly.Id);

        await StartAsync(new PortalApplication(azurite, settings: new Dictionary<string, string?>
        {
            ["Contracts:ActivationRequiresDueDiligence"] = "false",
            ["Contracts:ActivationRequiresMemorandum"] = "false",
        }));
        var ungated = await Registry.CreateAsync(SampleVendors.Domestic() with { LifecycleStatus = "onboarding" }, "test", Token);
        using var free = await ActivateAsync(ungated.Id);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
    }

    [Fact]
    public void AnOptionThatIsNotABooleanStopsTheStart()
    {
        var failure = StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Contracts:ActivationRequiresMemorandum"] = "sometimes" }));

        Assert.Contains("ActivationRequiresMemorandum", failure, StringComparison.Ordinal);
    }
}
