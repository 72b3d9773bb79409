using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FunctionsPortal.Auth;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.ManagementLevels;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Incidents;

/// <summary>After an incident is recorded: the PPC report draft, the timeline, who else holds the data, the management level and corrective actions.</summary>
public sealed class IncidentFollowUpApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string[] CardData = ["credit-card"];

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-04-07T01:00:00Z", CultureInfo.InvariantCulture));
    private PortalApplication _app = null!;
    private HttpClient _staff = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Incidents:Reporter:Name"] = "サンプル商事株式会社", ["Incidents:Reporter:CorporateNumber"] = "1234567890123" }, timeProvider: _clock);
        _staff = _app.CreateStaffClient(StaffRoles.Reviewer, "reviewer@our-company.example.jp");
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _staff.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<string> ReportAsync(string vendorId, object? report = null)
    {
        using var response = await _staff.PostAsJsonAsync("/api/incidents", new { vendorId, report = report ?? IncidentsApiTests.Report() }, Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>(Token))!["incident"]!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task TheReportDraftIsAWorkbookPrefilledFromTheRecordWithItsTimeline()
    {
        var invited = await SurveyScenario.InviteAsync(_app.Services, Token);
        var id = await ReportAsync(invited.VendorId);
        using (var step = await _staff.PostAsJsonAsync($"/api/incidents/{id}/preliminary-reported", new { }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, step.StatusCode);
        }

        using var response = await _staff.GetAsync($"/api/incidents/{id}/report.xlsx", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("確報", Uri.UnescapeDataString(response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName ?? ""), StringComparison.Ordinal);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync(Token)), ZipArchiveMode.Read);
        var text = string.Concat(zip.Entries.Where(entry => entry.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).Select(entry =>
        {
            using var reader = new StreamReader(entry.Open());
            return reader.ReadToEnd();
        }));
        Assert.Contains("サンプル商事株式会社", text, StringComparison.Ordinal);
        Assert.Contains("委託先の担当者が顧客リストを誤って外部に送信した。", text, StringComparison.Ordinal);
        Assert.Contains(id, text, StringComparison.Ordinal);
        Assert.Contains("個人情報保護委員会へ速報を提出", text, StringComparison.Ordinal);

        var timeline = (await _staff.GetFromJsonAsync<JsonArray>($"/api/incidents/{id}/timeline", Token))!;
        Assert.Equal(["incident.reported", "incident.preliminary-reported"], timeline.Select(entry => entry!["action"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task AnIncidentIsAnOccurrenceForTheManagementLevelOnceAndCanOpenACorrectiveActionOnce()
    {
        var invited = await SurveyScenario.InviteAsync(_app.Services, Token);
        var id = await ReportAsync(invited.VendorId);

        var management = await _app.Services.GetRequiredService<ManagementTracker>().GetAsync(invited.VendorId, Token);
        var occurrence = Assert.Single(management.Occurrences);
        Assert.Equal((OccurrenceKinds.Incident, id, new DateOnly(2026, 4, 7)), (occurrence.Kind, occurrence.Reference, occurrence.On));

        var request = new { request = "再発防止策（宛先確認の二重化）を実施し、実施記録を提出してください。", dueOn = "2026-05-15" };
        using var first = await _staff.PostAsJsonAsync($"/api/incidents/{id}/corrective-actions", request, Token);
        using var again = await _staff.PostAsJsonAsync($"/api/incidents/{id}/corrective-actions", request, Token);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var action = (await first.Content.ReadFromJsonAsync<JsonNode>(Token))!;
        Assert.Equal(action["id"]!.GetValue<string>(), (await again.Content.ReadFromJsonAsync<JsonNode>(Token))!["id"]!.GetValue<string>());
        var stored = Assert.Single(await _app.Services.GetRequiredService<CorrectiveActionStore>().ListForVendorAsync(invited.VendorId, Token), candidate => candidate.Finding == FindingKinds.Incident);
        Assert.Equal((id, invited.Assignment.Key, new DateOnly(2026, 5, 15), "critical", ActionStatuses.Open), (stored.ItemId, stored.AssignmentKey, stored.DueOn, stored.Severity, stored.Status));
        var timeline = (await _staff.GetFromJsonAsync<JsonArray>($"/api/incidents/{id}/timeline", Token))!;
        Assert.Single(timeline, entry => entry!["action"]!.GetValue<string>() == "incident.corrective-action-opened");

        using var empty = await _staff.PostAsJsonAsync($"/api/incidents/{id}/corrective-actions", new { request = " " }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task TheScopeListsWhoElseHoldsTheDataAndTheVendorsOwnSubcontractors()
    {
        var registry = _app.Services.GetRequiredService<VendorRegistry>();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var source = await registry.CreateAsync(SampleVendors.Domestic("株式会社発生元") with { DataCategories = ["credit-card"], CloudServices = [$"Scope Cloud {suffix}"] }, "test", Token, "vs" + suffix);
        var child = await registry.CreateAsync(SampleVendors.Domestic("株式会社再委託先") with { ParentId = source.Id, DataCategories = ["personal"], PriorApproval = new PriorApproval("approved", "test", _clock.GetUtcNow(), null) }, "test", Token, "vc" + suffix);
        var sameSystem = await registry.CreateAsync(SampleVendors.Domestic("株式会社同じ基盤") with { DataCategories = ["personal"], CloudServices = [$"scope cloud {suffix}"], ApproximateRecords = 4200 }, "test", Token, "vy" + suffix);
        var id = await ReportAsync(source.Id, new { summary = "カード情報の漏えいのおそれ", discoveredAt = "2026-04-06T18:00:00+09:00", dataCategories = CardData, financialHarm = true });

        var scope = (await _staff.GetFromJsonAsync<JsonNode>($"/api/incidents/{id}/scope", Token))!;

        var vendors = scope["vendors"]!.AsArray().ToDictionary(entry => entry!["vendorId"]!.GetValue<string>(), entry => entry!);
        Assert.DoesNotContain(source.Id, vendors.Keys);
        Assert.Contains("subcontractor-of", vendors[child.Id]!["matchedOn"]!.AsArray().Select(value => value!.GetValue<string>()));
        Assert.Contains(vendors[sameSystem.Id]!["matchedOn"]!.AsArray().Select(value => value!.GetValue<string>()), value => value.StartsWith("system:", StringComparison.Ordinal));
        Assert.Equal(4200, vendors[sameSystem.Id]!["approximateRecords"]!.GetValue<long>());
    }

    [Fact]
    public async Task AnUnknownIncidentIsNotFoundEverywhere()
    {
        foreach (var path in new[] { "/report.xlsx", "/timeline", "/scope" })
        {
            using var response = await _staff.GetAsync($"/api/incidents/inc-20260101-000000{path}", Token);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }
}
