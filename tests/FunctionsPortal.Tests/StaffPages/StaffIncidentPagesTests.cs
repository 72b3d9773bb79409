using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using FunctionsPortal.Auth;
using FunctionsPortal.Incidents;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>
/// Incidents as staff see them, on a fake clock: the list and the dashboard with their countdowns (overdue in red),
/// the PPC steps each guarded by the ETag the page was drawn with, and a report recorded from the vendor's page.
/// </summary>
public sealed class StaffIncidentPagesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Tuesday 2026-04-07, 10:00 in Japan: day 5 is 4/11; day 30 is 5/6 (振替休日), so the final report is due 5/7.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-04-07T01:00:00Z", CultureInfo.InvariantCulture));
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Incidents:NotifyAddresses:0"] = "privacy@our-company.example.jp" }, timeProvider: _clock);
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A staff browser: the development header, its own cookies, redirects not followed so each step can be checked.</summary>
    private HttpClient StaffBrowser()
    {
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add("X-Development-Staff", $"reviewer@our-company.example.jp; {StaffRoles.Reviewer}");
        return client;
    }

    private async Task<string> VendorAsync(string name) =>
        (await Services.GetRequiredService<VendorRegistry>().CreateAsync(SampleVendors.Domestic(name), "test", Token, "vi" + Guid.NewGuid().ToString("N")[..10])).Id;

    private async Task<Incident> ReportAsync(string vendorId, long? people = 1500, string summary = "顧客リストを誤送信した。")
    {
        var result = await Services.GetRequiredService<IncidentReports>().ReportByStaffAsync(vendorId, null, new IncidentReport
        {
            Summary = summary,
            DiscoveredAt = _clock.GetUtcNow().AddHours(-2),
            DataCategories = ["personal"],
            AffectedPeople = people,
        }, "reviewer@our-company.example.jp", Token);
        return result.Incident ?? throw new InvalidOperationException(string.Join(" ", result.Errors.Select(error => error.En)));
    }

    [Fact]
    public async Task TheListAndTheDashboardShowTheCountdownsAndOverdueInRed()
    {
        var vendorId = await VendorAsync("株式会社期限テスト");
        var reportable = await ReportAsync(vendorId);
        var minor = await ReportAsync(vendorId, people: 3, summary: "社内での誤配布（3名）");
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);

        var list = await PageAsync(reviewer, "/staff/incidents");
        var dashboard = await PageAsync(reviewer, "/staff");

        Assert.Contains("株式会社期限テスト", list, StringComparison.Ordinal);
        Assert.Contains("速報 目安 あと4日", list, StringComparison.Ordinal);
        Assert.Contains("確報期限 あと30日（2026/05/07）", list, StringComparison.Ordinal);
        Assert.Contains("1,000人超", list, StringComparison.Ordinal);
        Assert.Contains(minor.Id, list, StringComparison.Ordinal);
        Assert.Contains("報告対象外", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/staff/incidents\"", list, StringComparison.Ordinal); // the menu
        Assert.Contains("報告対象の事故・漏えい等（1件）", dashboard, StringComparison.Ordinal);
        Assert.Contains("直近の期限: 速報 目安 あと4日（2026/04/11）", dashboard, StringComparison.Ordinal);
        Assert.Contains(reportable.Id, dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain(minor.Id, dashboard, StringComparison.Ordinal);
        // The panel is one range query, read alongside the summaries: the dashboard stays within its budget of 5 round trips.
        using (var timed = await reviewer.GetAsync("/staff", Token))
        {
            var timing = timed.Headers.GetValues("Server-Timing").Single();
            var roundTrips = int.Parse(Regex.Match(timing, @"(?:^|, )storage;desc=""(\d+)""").Groups[1].Value, CultureInfo.InvariantCulture);
            TestContext.Current.TestOutputHelper?.WriteLine($"dashboard with incidents: {roundTrips} storage round trips ({timing})");
            Assert.InRange(roundTrips, 1, 5);
        }


        _clock.Advance(TimeSpan.FromDays(6)); // 4/13: the preliminary aim passed two days ago
        var late = await PageAsync(reviewer, "/staff/incidents");
        var lateDashboard = await PageAsync(reviewer, "/staff");

        Assert.Matches(OverdueRow(reportable.Id), late);
        Assert.Contains("<span class=\"countdown preliminary overdue\">", late, StringComparison.Ordinal);
        Assert.Contains("速報 目安 2日超過", late, StringComparison.Ordinal);
        Assert.Contains("確報期限 あと24日（2026/05/07）", late, StringComparison.Ordinal);
        Assert.Contains("<p id=\"incidents-nearest\" class=\"countdown overdue\">", lateDashboard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheStepsChangeTheStatusEachGuardedByTheETagTheFormWasDrawnWith()
    {
        var vendorId = await VendorAsync("株式会社手順テスト");
        var incident = await ReportAsync(vendorId);
        using var reviewer = StaffBrowser();
        var url = $"/staff/incidents/{incident.Id}";
        var page = await PageAsync(reviewer, url);
        var store = Services.GetRequiredService<IncidentStore>();

        Assert.Contains("報告対象です", page, StringComparison.Ordinal);
        Assert.Contains("個人情報保護法施行規則7条4号", page, StringComparison.Ordinal);
        Assert.Contains(incident.Seal.Sha256, page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/incidents/{incident.Id}/report.xlsx\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/incidents/{incident.Id}/scope\"", page, StringComparison.Ordinal);

        using var preliminary = await PostPageFormAsync(reviewer, page, url + "/preliminary-reported", [("etag", incident.ETag), ("at", "2026-04-07T09:30")]);
        Assert.Equal(HttpStatusCode.Redirect, preliminary.StatusCode);
        var afterPreliminary = (await store.FindAsync(incident.Id, Token))!;
        Assert.Equal(new DateTimeOffset(2026, 4, 7, 9, 30, 0, TimeSpan.FromHours(9)), afterPreliminary.PreliminaryReportedAt);

        // The page drawn before the step still carries the old ETag: the final step from it is refused and changes nothing.
        using var stale = await PostPageFormAsync(reviewer, page, url + "/final-reported", [("etag", incident.ETag)]);
        var staleMessage = await PageAsync(reviewer, url);
        Assert.Contains("この間に他の担当者が変更しました", staleMessage, StringComparison.Ordinal);
        Assert.Null((await store.FindAsync(incident.Id, Token))!.FinalReportedAt);
        Assert.Contains("速報 済（2026/04/07）", staleMessage, StringComparison.Ordinal);

        using var final = await PostPageFormAsync(reviewer, staleMessage, url + "/final-reported", [("etag", afterPreliminary.ETag)]);
        var afterFinal = (await store.FindAsync(incident.Id, Token))!;
        Assert.Equal(_clock.GetUtcNow(), afterFinal.FinalReportedAt);
        using var close = await PostPageFormAsync(reviewer, staleMessage, url + "/close", [("etag", afterFinal.ETag)]);
        var closed = (await store.FindAsync(incident.Id, Token))!;
        var list = await PageAsync(reviewer, "/staff/incidents");

        Assert.Equal(IncidentStatuses.Closed, closed.Status);
        Assert.Contains("対応中（0件）", list, StringComparison.Ordinal);
        Assert.Contains($"<tr id=\"incident-{incident.Id}\"><td>", list, StringComparison.Ordinal); // in the closed table
        Assert.DoesNotContain("完了にする", await PageAsync(reviewer, url), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACorrectiveActionOpenedFromTheIncidentPageLeadsToTheActionAndAnEmptyRequestIsRefused()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        var incident = await ReportAsync(invited.VendorId);
        using var reviewer = StaffBrowser();
        var url = $"/staff/incidents/{incident.Id}";
        var page = await PageAsync(reviewer, url);

        using var empty = await PostPageFormAsync(reviewer, page, url + "/corrective-actions", [("request", "  ")]);
        Assert.Equal(HttpStatusCode.Redirect, empty.StatusCode);
        Assert.Contains("依頼内容を入力してください", await PageAsync(reviewer, url), StringComparison.Ordinal);

        using var opened = await PostPageFormAsync(reviewer, page, url + "/corrective-actions", [("request", "宛先確認を二重化し、記録を提出してください。"), ("dueOn", "2026-05-20")]);

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var action = Assert.Single(await Services.GetRequiredService<FunctionsPortal.CorrectiveActions.CorrectiveActionStore>().ListForVendorAsync(invited.VendorId, Token));
        Assert.Equal($"/staff/actions/{action.Id}", opened.Headers.Location?.OriginalString);
        Assert.Equal((incident.Id, new DateOnly(2026, 5, 20), "critical"), (action.ItemId, action.DueOn, action.Severity));
        Assert.Contains("宛先確認を二重化し", await PageAsync(reviewer, $"/staff/actions/{action.Id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffRecordAnIncidentFromTheVendorPageWithWhenWeBecameAware()
    {
        var vendorId = await VendorAsync("株式会社記録テスト");
        using var reviewer = StaffBrowser();
        var vendorPage = await PageAsync(reviewer, $"/staff/vendors/{vendorId}");
        var formUrl = $"/staff/vendors/{vendorId}/incidents/new";
        var form = await PageAsync(reviewer, formUrl);

        using var refused = await PostPageFormAsync(reviewer, form, $"/staff/vendors/{vendorId}/incidents", [("summary", "USBメモリの紛失"), ("awareAt", "2026-04-20T09:00")]);
        var refusedPage = await refused.Content.ReadAsStringAsync(Token);
        using var recorded = await PostPageFormAsync(reviewer, form, $"/staff/vendors/{vendorId}/incidents",
        [
            ("summary", "USBメモリの紛失"), ("discoveredAt", "2026-04-02T15:00"), ("awareAt", "2026-04-03T09:00"), ("dataCategories", "personal"), ("dataCategories", "sensitive"),
            ("affectedPeople", "40"), ("sensitiveData", "yes"), ("financialHarm", "no"), ("unlawfulPurpose", "no"),
        ]);
        var incident = Assert.Single(await Services.GetRequiredService<IncidentStore>().ListForVendorAsync(vendorId, Token));
        var detail = await PageAsync(reviewer, recorded.Headers.Location!.OriginalString);
        var vendorPageAfter = await PageAsync(reviewer, $"/staff/vendors/{vendorId}");

        Assert.Contains($"href=\"{formUrl}\"", vendorPage, StringComparison.Ordinal);
        Assert.Contains("当社が知った日時", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("当社が知った日時が未来になっています", refusedPage, StringComparison.Ordinal);
        Assert.Contains("発覚日時を入力してください", refusedPage, StringComparison.Ordinal);
        Assert.Contains("USBメモリの紛失</textarea>", refusedPage, StringComparison.Ordinal);

        Assert.Equal($"/staff/incidents/{incident.Id}", recorded.Headers.Location.OriginalString);
        Assert.Equal(IncidentChannels.Staff, incident.Channel);
        Assert.Null(incident.PrincipalNotifiedAt);
        Assert.Equal(new DateTimeOffset(2026, 4, 3, 9, 0, 0, TimeSpan.FromHours(9)), incident.AwareAt);
        Assert.StartsWith("inc-20260403-", incident.Id, StringComparison.Ordinal);
        Assert.Contains("要配慮個人情報が含まれる個人データの漏えい等", detail, StringComparison.Ordinal);
        Assert.Contains("なし（当社で記録）", detail, StringComparison.Ordinal);
        // Day 1 is 4/3: the preliminary aim is 4/5–4/7 (today, 4/7), the final report day 30 = 5/2 (Sat) → 5/7 after the holidays.
        Assert.Contains("速報 目安 本日まで", detail, StringComparison.Ordinal);
        Assert.Contains("確報期限 あと30日（2026/05/07）", detail, StringComparison.Ordinal);
        Assert.Contains(incident.Id, vendorPageAfter, StringComparison.Ordinal);
    }

    private static Regex OverdueRow(string id) => new($"<tr id=\"incident-{Regex.Escape(id)}\" class=\"overdue\">");
}
