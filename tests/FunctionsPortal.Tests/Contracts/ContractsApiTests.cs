using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FunctionsPortal.Audit;
using FunctionsPortal.Auth;
using FunctionsPortal.Contracts;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Contracts;

/// <summary>/api/vendors/{id}/contracts: signed documents through the evidence checks, the registry's contract period, the audit trail.</summary>
public sealed class ContractsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly PortalApplication _app = new(azurite);
    private HttpClient _admin = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private VendorRegistry Registry => _app.Services.GetRequiredService<VendorRegistry>();

    public async ValueTask InitializeAsync()
    {
        _admin = _app.CreateStaffClient(StaffRoles.Admin, "admin@our-company.example.jp");
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<VendorView> CreateAsync(Vendor? vendor = null) =>
        await Registry.CreateAsync(vendor ?? SampleVendors.Domestic("株式会社契約先"), "test", Token, "vk" + Guid.NewGuid().ToString("N")[..10]);

    internal static MultipartFormDataContent Form(IEnumerable<(string Name, string Value)> fields, byte[]? file, string fileName = "契約書.pdf")
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", fileName);
        }

        return form;
    }

    internal static (string, string)[] Fields(string kind, string signedOn = "2026-03-20", string startOn = "2026-04-01", string? endOn = "2027-03-31", params string[] clauses) =>
        [("kind", kind), ("signedOn", signedOn), ("startOn", startOn), .. endOn is null ? Array.Empty<(string, string)>() : [("endOn", endOn)], .. clauses.Select(clause => (clause, "true"))];

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string id, string? etag, MultipartFormDataContent form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/vendors/{id}/contracts") { Content = form };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        }

        return await client.SendAsync(request, Token);
    }

    private async Task<VendorContracts> ListAsync(string id) =>
        (await _admin.GetFromJsonAsync<VendorContracts>($"/api/vendors/{id}/contracts", Json, Token))!;

    [Fact]
    public async Task AContractSetsTheRegistryPeriodKeepsThePreviousVersionAndIsAudited()
    {
        var vendor = await CreateAsync();
        var pdf = SurveyScenario.Pdf("signed contract");

        using var created = await PostAsync(_admin, vendor.Id, vendor.ETag, Form(Fields(ContractKinds.Contract, clauses: ["securityMeasures", "confidentiality", "subcontracting", "returnAndDeletion"]), pdf));
        var document = await created.Content.ReadFromJsonAsync<ContractDocument>(Json, Token);
        var listed = await ListAsync(vendor.Id);
        var record = (await Registry.RecordAsync(vendor.Id, Token))!;
        var versions = await Registry.PreviousVersionsAsync(vendor.Id, Token);
        var trail = await _app.Services.GetRequiredService<AuditTrail>().ListAsync(vendor.Id, 20, null, Token);
        using var download = await _admin.GetAsync(created.Headers.Location, Token);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var stored = Assert.Single(listed.Documents);
        Assert.Equal(document!.Id, stored.Id);
        Assert.Equal(["reporting", "audit"], stored.Clauses.Missing.Select(clause => clause.Name));
        Assert.Equal(new ContractPeriod(new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31)), record.Vendor.Contract);
        Assert.Null(Assert.Single(versions).Vendor.Contract);
        Assert.Contains(trail.Records, entry => entry.Action == AuditActions.ContractRecorded && entry.Subject == stored.Id);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("契約書.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task AMemorandumLeavesThePeriodAloneAndAnOlderContractDoesNotReplaceANewerOne()
    {
        var vendor = await CreateAsync();
        using var newer = await PostAsync(_admin, vendor.Id, vendor.ETag, Form(Fields(ContractKinds.Contract, startOn: "2026-04-01", endOn: null), SurveyScenario.Pdf()));
        var afterContract = (await Registry.RecordAsync(vendor.Id, Token))!;
        using var older = await PostAsync(_admin, vendor.Id, afterContract.ETag, Form(Fields(ContractKinds.Contract, signedOn: "2023-03-01", startOn: "2023-04-01", endOn: "2026-03-31"), SurveyScenario.Pdf()));
        using var memorandum = await PostAsync(_admin, vendor.Id, afterContract.ETag, Form(Fields(ContractKinds.Memorandum, startOn: "2026-05-01", endOn: null), SurveyScenario.Pdf()));
        var record = (await Registry.RecordAsync(vendor.Id, Token))!;

        Assert.Equal(HttpStatusCode.Created, newer.StatusCode);
        Assert.Equal(HttpStatusCode.Created, older.StatusCode);
        Assert.Equal(HttpStatusCode.Created, memorandum.StatusCode);
        Assert.Equal(new ContractPeriod(new DateOnly(2026, 4, 1), null), record.Vendor.Contract);
        Assert.Equal(afterContract.ETag, record.ETag);
        Assert.Equal(3, (await ListAsync(vendor.Id)).Documents.Count);
    }

    [Fact]
    public async Task RecordingNeedsAnAdministratorIfMatchAndTheCurrentETag()
    {
        var vendor = await CreateAsync();
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);

        using var byReviewer = await PostAsync(reviewer, vendor.Id, vendor.ETag, Form(Fields(ContractKinds.Memorandum), SurveyScenario.Pdf()));
        using var withoutIfMatch = await PostAsync(_admin, vendor.Id, null, Form(Fields(ContractKinds.Memorandum), SurveyScenario.Pdf()));
        await Registry.UpdateAsync(vendor.Id, vendor.ETag, vendor.Vendor with { Notes = "changed meanwhile" }, "someone", Token);
        using var stale = await PostAsync(_admin, vendor.Id, vendor.ETag, Form(Fields(ContractKinds.Memorandum), SurveyScenario.Pdf()));
        using var unknown = await PostAsync(_admin, "no-such-vendor", vendor.ETag, Form(Fields(ContractKinds.Memorandum), SurveyScenario.Pdf()));
        using var reviewerReads = await reviewer.GetAsync($"/api/vendors/{vendor.Id}/contracts", Token);

        Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionRequired, withoutIfMatch.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reviewerReads.StatusCode);
        Assert.Empty((await ListAsync(vendor.Id)).Documents);
    }

    [Fact]
    public async Task AFileThatIsNotASignedDocumentIsRefusedAndNothingIsRecorded()
    {
        var vendor = await CreateAsync();

        using var text = await PostAsync(_admin, vendor.Id, vendor.ETag, Form(Fields(ContractKinds.Memorandum), Encoding.UTF8.GetBytes("これは契約書ではありません"), "memo.txt"));
        using var executable = await PostAsync(_admin, vendor.Id, vendor.ETag, Form(Fields(ContractKinds.Memorandum), [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00], "contract.pdf"));
        var textProblem = await text.Content.ReadFromJsonAsync<ProblemDetails>(Json, Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, text.StatusCode);
        Assert.Contains("PDF", textProblem!.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, executable.StatusCode);
        Assert.Empty((await ListAsync(vendor.Id)).Documents);
        Assert.Null((await Registry.RecordAsync(vendor.Id, Token))!.Vendor.Contract);
    }

    [Fact]
    public async Task InvalidFieldsAndAMissingFileAreA400NamingEach()
    {
        var vendor = await CreateAsync();

        using var empty = await PostAsync(_admin, vendor.Id, vendor.ETag, Form([("kind", "lease")], file: null));
        using var backwards = await PostAsync(_admin, vendor.Id, vendor.ETag, Form(Fields(ContractKinds.Contract, startOn: "2026-04-01", endOn: "2026-03-31"), SurveyScenario.Pdf()));
        var emptyProblem = await empty.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Token);
        var backwardsProblem = await backwards.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Token);

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(["file", "kind", "signedOn", "startOn"], emptyProblem!.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Equal(["endOn"], backwardsProblem!.Errors.Keys);
        Assert.Empty((await ListAsync(vendor.Id)).Documents);
    }
}
