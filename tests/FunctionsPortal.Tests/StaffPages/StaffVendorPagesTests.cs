using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.Submissions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>The registry as staff browse it: search, filters and pages; one vendor's profile, risk reasons and history.</summary>
public sealed class StaffVendorPagesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;
    private HttpClient _staff = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await _app.Services.WhenStorageReadyAsync();
        _staff = _app.CreateStaffClient(StaffRoles.Reviewer);
    }

    public async ValueTask DisposeAsync()
    {
        _staff.Dispose();
        await _app.DisposeAsync();
    }

    private Task<string> PageAsync(string url) => _staff.GetStringAsync(url, Token);

    [Fact]
    public async Task StaffSearchFilterAndPageThroughTheRegistry()
    {
        var store = _app.Services.GetRequiredService<VendorStore>();
        for (var i = 0; i < 52; i++)
        {
            await store.AddAsync($"bulk-{i:D2}", SampleVendors.Domestic($"株式会社一覧{i:D2}"), "test", Token);
        }

        await store.AddAsync("card-centre", SampleVendors.Domestic("株式会社カード受付") with { DataCategories = ["personal", "credit-card", "sensitive"], BusinessCategory = "call-centre" }, "test", Token);

        var first = await PageAsync("/staff/vendors");
        var next = System.Text.RegularExpressions.Regex.Match(first, @"href=""(/staff/vendors\?next=[^""]+)""").Groups[1].Value;
        var second = await PageAsync(WebUtility.HtmlDecode(next));
        var searched = await PageAsync("/staff/vendors?q=" + Uri.EscapeDataString("カード"));
        var callCentres = await PageAsync("/staff/vendors?category=call-centre");
        var nonsense = await PageAsync("/staff/vendors?tier=extreme&status=%3Cscript%3E");

        Assert.Contains("50社以上", first, StringComparison.Ordinal); // the list reads one page: beyond it the total is "at least"
        Assert.Equal(50, System.Text.RegularExpressions.Regex.Count(first, @"<a href=""/staff/vendors/[^""]+"">"));
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(second, @"<a href=""/staff/vendors/[^""]+"">"));
        Assert.Contains("株式会社カード受付", searched, StringComparison.Ordinal);
        Assert.Contains("1社", searched, StringComparison.Ordinal);
        Assert.Contains("株式会社カード受付", callCentres, StringComparison.Ordinal);
        Assert.DoesNotContain("株式会社一覧00", callCentres, StringComparison.Ordinal);
        Assert.Contains("50社以上", nonsense, StringComparison.Ordinal); // unknown filter values are ignored, never an error
    }

    [Fact]
    public async Task OneVendorShowsItsRiskReasonsSubcontractorsAndSealedSurveysWithEverythingEncoded()
    {
        var store = _app.Services.GetRequiredService<VendorStore>();
        await store.AddAsync("parent-co", SampleVendors.Domestic("株式会社<script>alert(1)</script>親") with { DataCategories = ["personal", "sensitive"] }, "test", Token);
        await store.AddAsync("child-co", SampleVendors.Domestic("株式会社子") with
        {
            ParentId = "parent-co",
            Scope = "発送業務",
            PriorApproval = new PriorApproval("requested", null, null, null),
        }, "test", Token);
        await _app.Services.GetRequiredService<SubmissionStore>().RecordAsync(new SubmissionRecord(
            "c2026~parent-co~annual", 1, "parent-co", "annual", new string('a', 64), "v1", "sig", new DateTimeOffset(2026, 6, 1, 1, 0, 0, TimeSpan.Zero),
            "受任 太郎", 3, "passed", 87.5m, "B"), null, Token);

        var html = await PageAsync("/staff/vendors/parent-co");
        using var missing = await _staff.GetAsync("/staff/vendors/no-such-vendor", Token);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.Contains("要配慮個人情報", html, StringComparison.Ordinal);
        Assert.Contains("区分の理由", html, StringComparison.Ordinal);
        Assert.Contains("株式会社子", html, StringComparison.Ordinal);
        Assert.Contains("承認待ち", html, StringComparison.Ordinal);
        Assert.Contains("87.5%", html, StringComparison.Ordinal);
        Assert.Contains("<td>B</td>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("委託先が見つかりません", await missing.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }
}
