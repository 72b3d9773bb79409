using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FunctionsPortal.Audit;
using FunctionsPortal.Auth;
using FunctionsPortal.Incidents;
using FunctionsPortal.Mail;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Incidents;

/// <summary>/api/incidents through the app: record, read with the PPC clock, list, the reporting steps, staff only; staff mailed at once.</summary>
public sealed class IncidentsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    public const string PrivacyOffice = "privacy@our-company.example.jp";

    private static readonly string[] UnknownCategories = ["pets"];

    // Tuesday 2026-04-07, 10:00 in Japan: day 30 is 5/6 (振替休日), so the final report is due 5/7.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-04-07T01:00:00Z", CultureInfo.InvariantCulture));
    private readonly ScriptedMailTransport _mail = new();
    private PortalApplication _app = null!;
    private HttpClient _staff = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Incidents:NotifyAddresses:0"] = PrivacyOffice }, timeProvider: _clock, configureServices: services =>
        {
            services.RemoveAll<IMailTransport>();
            services.AddSingleton<IMailTransport>(_mail);
        });
        _staff = _app.CreateStaffClient(StaffRoles.Reviewer, "reviewer@our-company.example.jp");
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _staff.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<string> VendorAsync() =>
        (await _app.Services.GetRequiredService<VendorRegistry>().CreateAsync(SampleVendors.Domestic("株式会社漏えい"), "test", Token, "vi" + Guid.NewGuid().ToString("N")[..10])).Id;

    internal static object Report(long? people = 1500, bool unlawful = false) => new
    {
        summary = "委託先の担当者が顧客リストを誤って外部に送信した。",
        discoveredAt = "2026-04-06T18:00:00+09:00",
        dataCategories = new[] { "personal" },
        affectedPeople = people,
        unlawfulPurpose = unlawful,
        cause = "宛先の確認漏れ",
        reporterName = "受任 太郎",
        reporterEmail = "officer@vendor.example.jp",
    };

    private async Task<JsonNode> CreateAsync(string vendorId, object report)
    {
        using var response = await _staff.PostAsJsonAsync("/api/incidents", new { vendorId, report }, Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>(Token))!;
    }

    [Fact]
    public async Task ARecordedIncidentShowsItsTriggersAndDeadlinesAndStaffHearAtOnce()
    {
        var vendorId = await VendorAsync();

        var created = await CreateAsync(vendorId, Report());
        var id = created["incident"]!["id"]!.GetValue<string>();
        var got = (await _staff.GetFromJsonAsync<JsonNode>($"/api/incidents/{id}", Token))!;

        Assert.Matches("^inc-20260407-[0-9a-f]{6}$", id);
        Assert.True(got["reportable"]!.GetValue<bool>());
        Assert.Equal(["over-1000"], got["triggers"]!.AsArray().Select(node => node!.GetValue<string>()));
        Assert.Equal(DateTimeOffset.Parse("2026-04-07T10:00:00+09:00", CultureInfo.InvariantCulture), got["awareAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(DateTimeOffset.Parse("2026-04-09T23:59:59.999+09:00", CultureInfo.InvariantCulture), got["preliminaryDueFrom"]!.GetValue<DateTimeOffset>());
        Assert.Equal(DateTimeOffset.Parse("2026-04-11T23:59:59.999+09:00", CultureInfo.InvariantCulture), got["preliminaryDueBy"]!.GetValue<DateTimeOffset>());
        Assert.Equal(DateTimeOffset.Parse("2026-05-07T23:59:59.999+09:00", CultureInfo.InvariantCulture), got["finalDueBy"]!.GetValue<DateTimeOffset>());
        Assert.Equal(("api", "reviewer@our-company.example.jp", "open"), (got["incident"]!["channel"]!.GetValue<string>(), got["incident"]!["reportedBy"]!.GetValue<string>(), got["incident"]!["status"]!.GetValue<string>()));
        Assert.Null(got["incident"]!["principalNotifiedAt"]);
        Assert.Equal(64, got["incident"]!["seal"]!["sha256"]!.GetValue<string>().Length);

        var mails = _mail.SentMails.Where(mail => mail.OutboxKey.StartsWith($"inc~{id}/reported~", StringComparison.Ordinal)).ToList();
        Assert.Equal(["owner@our-company.example.jp", PrivacyOffice], mails.Select(mail => mail.To.Address).Order(StringComparer.Ordinal));
        Assert.All(mails, mail => Assert.Contains($"/staff/incidents/{id}", mail.TextBody, StringComparison.Ordinal));
        Assert.All(mails, mail => Assert.Contains("2026-05-07", mail.TextBody, StringComparison.Ordinal));

        var trail = await _app.Services.GetRequiredService<AuditTrail>().ListAsync(vendorId, 50, null, Token);
        Assert.Single(trail.Records, record => record.Action == AuditActions.IncidentReported && record.Subject == id);
    }

    [Fact]
    public async Task TheOpenListAndTheVendorsListShowTheIncidentUntilItIsClosed()
    {
        var vendorId = await VendorAsync();
        var id = (await CreateAsync(vendorId, Report(people: 10)))["incident"]!["id"]!.GetValue<string>();

        var open = (await _staff.GetFromJsonAsync<JsonArray>("/api/incidents?open=true", Token))!;
        var single = Assert.Single(open, node => node!["incident"]!["id"]!.GetValue<string>() == id)!;
        Assert.False(single["reportable"]!.GetValue<bool>());

        var etag = single["incident"]!["eTag"]!.GetValue<string>();
        using (var close = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{id}/close"))
        {
            close.Headers.TryAddWithoutValidation("If-Match", etag);
            using var closed = await _staff.SendAsync(close, Token);
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        }

        Assert.DoesNotContain((await _staff.GetFromJsonAsync<JsonArray>("/api/incidents?open=true", Token))!, node => node!["incident"]!["id"]!.GetValue<string>() == id);
        var vendors = (await _staff.GetFromJsonAsync<JsonArray>($"/api/incidents?vendorId={vendorId}", Token))!;
        Assert.Equal("closed", Assert.Single(vendors)!["incident"]!["status"]!.GetValue<string>());
        using var neither = await _staff.GetAsync("/api/incidents", Token);
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
    }

    [Fact]
    public async Task ABadReportIsRefusedWithTheFieldsToCorrectAndNothingIsStored()
    {
        var vendorId = await VendorAsync();

        using var response = await _staff.PostAsJsonAsync("/api/incidents", new
        {
            vendorId,
            awareAt = "2026-04-08T10:00:00+09:00",
            report = new { summary = "", discoveredAt = "2026-05-01T00:00:00+09:00", dataCategories = UnknownCategories, affectedPeople = -1, reporterEmail = "not-an-address" },
        }, Token);
        using var unknownVendor = await _staff.PostAsJsonAsync("/api/incidents", new { vendorId = "no-such-vendor", report = Report() }, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonNode>(Token))!["errors"]!.AsObject().Select(pair => pair.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["awareAt", "report.affectedPeople", "report.dataCategories", "report.discoveredAt", "report.reporterEmail", "report.summary"], errors);
        Assert.Equal(HttpStatusCode.BadRequest, unknownVendor.StatusCode);
        Assert.Contains("vendorId", (await unknownVendor.Content.ReadFromJsonAsync<JsonNode>(Token))!["errors"]!.AsObject().Select(pair => pair.Key));
        Assert.Empty(await _app.Services.GetRequiredService<IncidentStore>().ListForVendorAsync(vendorId, Token));
        Assert.DoesNotContain(_mail.SentMails, mail => mail.OutboxKey.StartsWith("inc~", StringComparison.Ordinal) && mail.TextBody.Contains(vendorId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheReportingStepsAreRecordedOnceGuardedByTheETagAndAudited()
    {
        var vendorId = await VendorAsync();
        var created = await CreateAsync(vendorId, Report(unlawful: true));
        var id = created["incident"]!["id"]!.GetValue<string>();
        Assert.Equal(DateTimeOffset.Parse("2026-06-05T23:59:59.999+09:00", CultureInfo.InvariantCulture), created["finalDueBy"]!.GetValue<DateTimeOffset>()); // 60 days: unlawful purpose

        _clock.Advance(TimeSpan.FromDays(2));
        using var preliminary = await _staff.PostAsJsonAsync($"/api/incidents/{id}/preliminary-reported", new { at = "2026-04-09T09:30:00+09:00" }, Token);
        using var stale = await PostWithIfMatchAsync($"/api/incidents/{id}/final-reported", "\"1\"");
        using var future = await _staff.PostAsJsonAsync($"/api/incidents/{id}/final-reported", new { at = "2027-01-01T00:00:00+09:00" }, Token);
        using var final = await PostWithIfMatchAsync($"/api/incidents/{id}/final-reported", "\"2\"");
        using var close = await _staff.PostAsync($"/api/incidents/{id}/close", null, Token);
        using var afterClose = await _staff.PostAsync($"/api/incidents/{id}/preliminary-reported", null, Token);
        using var missing = await _staff.PostAsync("/api/incidents/inc-20260101-000000/close", null, Token);

        Assert.Equal(HttpStatusCode.OK, preliminary.StatusCode);
        Assert.Equal(DateTimeOffset.Parse("2026-04-09T09:30:00+09:00", CultureInfo.InvariantCulture),
            (await preliminary.Content.ReadFromJsonAsync<JsonNode>(Token))!["incident"]!["preliminaryReportedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, afterClose.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var closed = (await _app.Services.GetRequiredService<IncidentStore>().FindAsync(id, Token))!;
        Assert.Equal((IncidentStatuses.Closed, _clock.GetUtcNow()), (closed.Status, closed.ClosedAt!.Value));
        Assert.Equal(_clock.GetUtcNow(), closed.FinalReportedAt);

        var trail = (await _app.Services.GetRequiredService<AuditTrail>().ListAsync(vendorId, 50, null, Token)).Records.Where(record => record.Subject == id);
        Assert.Equal([AuditActions.IncidentReported, AuditActions.IncidentPreliminaryReported, AuditActions.IncidentFinalReported, AuditActions.IncidentClosed],
            trail.OrderBy(record => record.Sequence).Select(record => record.Action));
    }

    [Fact]
    public async Task OnlyStaffMayUseIt()
    {
        using var anonymous = _app.CreateClient();
        using var notStaff = _app.CreateStaffClient("Portal.Visitor", "visitor@our-company.example.jp");

        using var anonymousRead = await anonymous.GetAsync("/api/incidents?open=true", Token);
        using var anonymousCreate = await anonymous.PostAsJsonAsync("/api/incidents", new { vendorId = "x", report = Report() }, Token);
        using var visitorRead = await notStaff.GetAsync("/api/incidents?open=true", Token);
        using var visitorClose = await notStaff.PostAsync("/api/incidents/inc-20260101-000000/close", null, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousRead.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousCreate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, visitorRead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, visitorClose.StatusCode);
    }

    private async Task<HttpResponseMessage> PostWithIfMatchAsync(string path, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await _staff.SendAsync(request, Token);
    }
}
