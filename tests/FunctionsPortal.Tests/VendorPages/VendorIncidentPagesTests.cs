using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using FunctionsPortal.Incidents;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// A vendor reports an incident through its link: the form from the landing page, a refused report keeps what was
/// typed, a report redirects to its receipt (the seal hash, the Art. 26(1) notice), only this vendor's reports are
/// seen, and a link that no longer opens cannot report.
/// </summary>
public sealed class VendorIncidentPagesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Tuesday 2026-04-07, 10:00 in Japan.
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

    internal static (string, string)[] Report(string summary = "顧客リストを誤って外部のアドレスに送信しました。") =>
    [
        ("summary", summary), ("discoveredAt", "2026-04-06T18:30"), ("occurredAt", "2026-04-06T17:05"), ("dataCategories", "personal"),
        ("affectedPeople", "１，２００"), ("sensitiveData", "no"), ("financialHarm", "no"), ("unlawfulPurpose", "unsure"),
        ("cause", "宛先の確認漏れ"), ("measuresTaken", "受信者に削除を依頼した"), ("reporterName", "報告 花子"), ("reporterEmail", "hanako@vendor.example.jp"),
    ];

    [Fact]
    public async Task TheLandingLinksToTheFormAndARefusedReportShowsEachErrorBesideItsFieldKeepingWhatWasTyped()
    {
        var vendor = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser(_app);

        var landing = await PageAsync(browser, vendor.Url());
        using var refused = await PostFormAsync(browser, vendor.Url("/incidents/new"), vendor.Url("/incidents"),
            [("summary", " "), ("discoveredAt", "2026-04-09T10:00"), ("occurredAt", "昨日"), ("dataCategories", "credit-card"), ("affectedPeople", "たくさん"),
             ("sensitiveData", "yes"), ("cause", "<script>alert(1)</script>原因")],
            [("documents", "log.pdf", SurveyScenario.Pdf("log"))]);
        var page = await refused.Content.ReadAsStringAsync(Token);

        Assert.Contains($"href=\"{vendor.Url("/incidents/new")}\"", landing, StringComparison.Ordinal);
        Assert.Contains("事故・漏えい等の報告", landing, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("何が起きたかを入力してください", page, StringComparison.Ordinal);
        Assert.Contains("発覚日時が未来になっています", page, StringComparison.Ordinal);
        Assert.Contains("発生日時は「2026-04-01 09:30」の形で", page, StringComparison.Ordinal);
        Assert.Contains("本人の数は数字で入力してください", page, StringComparison.Ordinal);
        Assert.Contains("資料をもう一度選択してください", page, StringComparison.Ordinal);
        Assert.Matches("<fieldset id=\"financialHarm\" class=\"has-error\">", page);
        Assert.Matches("<fieldset id=\"unlawfulPurpose\" class=\"has-error\">", page);
        Assert.DoesNotMatch("<fieldset id=\"sensitiveData\" class=\"has-error\">", page);
        // What was typed comes back, encoded.
        Assert.Contains("value=\"2026-04-09T10:00\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"たくさん\"", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;原因</textarea>", page, StringComparison.Ordinal);
        Assert.Matches("name=\"dataCategories\" value=\"credit-card\" checked", page);
        Assert.Matches("name=\"sensitiveData\" value=\"yes\" checked", page);
        Assert.Empty(await Services.GetRequiredService<IncidentStore>().ListForVendorAsync(vendor.VendorId, Token));
    }

    [Fact]
    public async Task AReportRedirectsToItsReceiptWithTheSealHashAndTheArt26NoticeAndUnsureCountsAsMayBe()
    {
        var vendor = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser(_app);
        var document = SurveyScenario.Pdf("mail-log");

        using var sent = await PostFormAsync(browser, vendor.Url("/incidents/new"), vendor.Url("/incidents"), Report(), [("documents", "送信ログ.pdf", document)]);
        var incident = Assert.Single(await Services.GetRequiredService<IncidentStore>().ListForVendorAsync(vendor.VendorId, Token));
        var receipt = await PageAsync(browser, sent.Headers.Location!.OriginalString);
        var list = await PageAsync(browser, vendor.Url("/incidents"));

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(vendor.Url($"/incidents/{incident.Id}"), sent.Headers.Location.OriginalString);
        Assert.Equal(IncidentChannels.VendorLink, incident.Channel);
        Assert.Equal(_clock.GetUtcNow(), incident.PrincipalNotifiedAt);
        Assert.Equal(1200, incident.Report.AffectedPeople);
        Assert.True(incident.Report.UnlawfulPurpose); // "not sure" is sealed as "may be"
        Assert.False(incident.Report.SensitiveData);
        Assert.Equal(new DateTimeOffset(2026, 4, 6, 18, 30, 0, TimeSpan.FromHours(9)), incident.Report.DiscoveredAt);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(document)), Assert.Single(incident.Documents).Sha256);

        Assert.Contains("ご報告を受け付けました", receipt, StringComparison.Ordinal);
        Assert.Contains($"<dd id=\"incident-id\">{incident.Id}</dd>", receipt, StringComparison.Ordinal);
        Assert.Contains(incident.Seal.Sha256, receipt, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", incident.Seal.Sha256);
        Assert.Contains("2026年4月7日 10:00", receipt, StringComparison.Ordinal);
        Assert.Contains("第26条第1項ただし書", receipt, StringComparison.Ordinal);
        Assert.Contains("送信ログ.pdf", receipt, StringComparison.Ordinal);
        Assert.Contains(incident.Id, list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherVendorsLinkCannotSeeThisVendorsIncidents()
    {
        var a = await SurveyScenario.InviteAsync(Services, Token);
        var b = await SurveyScenario.InviteAsync(Services, Token, vendor: SampleVendors.Domestic("株式会社別会社"));
        using var browserA = NewBrowser(_app);
        using var sent = await PostFormAsync(browserA, a.Url("/incidents/new"), a.Url("/incidents"), Report("A社の誤送信ZQX"));
        var id = sent.Headers.Location!.OriginalString.Split('/')[^1];
        using var browserB = NewBrowser(_app);

        using var foreign = await browserB.GetAsync(b.Url($"/incidents/{id}"), Token);
        var foreignPage = await foreign.Content.ReadAsStringAsync(Token);
        var listB = await PageAsync(browserB, b.Url("/incidents"));

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain("A社の誤送信ZQX", foreignPage, StringComparison.Ordinal);
        Assert.DoesNotContain(id, listB, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browserB.GetAsync(b.Url("/incidents/inc-20260407-000000"), Token)).StatusCode);
    }

    [Fact]
    public async Task ARevokedOrExpiredLinkCannotReport()
    {
        var revoked = await SurveyScenario.InviteAsync(Services, Token);
        var expiring = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser(_app);
        var form = await PageAsync(browser, revoked.Url("/incidents/new"));
        var expiringForm = await PageAsync(browser, expiring.Url("/incidents/new"));
        await Services.GetRequiredService<SurveyLinks>().RevokeAsync(revoked.Assignment.Key, Token);

        using var revokedPage = await browser.GetAsync(revoked.Url("/incidents/new"), Token);
        using var revokedPost = await PostPageFormAsync(browser, form, revoked.Url("/incidents"), Report());
        _clock.Advance(TimeSpan.FromDays(30 + 14 + 2)); // past the due date and the grace period
        using var expiredPost = await PostPageFormAsync(browser, expiringForm, expiring.Url("/incidents"), Report());

        Assert.Equal(HttpStatusCode.Gone, revokedPage.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, revokedPost.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, expiredPost.StatusCode);
        var store = Services.GetRequiredService<IncidentStore>();
        Assert.Empty(await store.ListForVendorAsync(revoked.VendorId, Token));
        Assert.Empty(await store.ListForVendorAsync(expiring.VendorId, Token));
    }
}
