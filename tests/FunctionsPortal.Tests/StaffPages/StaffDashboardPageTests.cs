using System.Net;
using System.Text.RegularExpressions;
using FunctionsPortal.Auth;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>The dashboard from the kept summaries: grades, the previous cycle, filters, what needs action — in a bounded number of storage round trips.</summary>
public sealed partial class StaffDashboardPageTests(BulkAzuriteFixture azurite) : IAsyncLifetime, IClassFixture<BulkAzuriteFixture>
{
    private static readonly AssignmentSegment First = new("high", "call-centre", "first@our-company.example.jp", "担当 一子");
    private static readonly AssignmentSegment Second = new("medium", "bpo", "second@our-company.example.jp", "担当 二郎");

    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static Assignment Scored(string cycle, string vendor, string status, AssignmentSegment segment, string? grade = null, decimal? percentage = null, bool critical = false) => new()
    {
        Cycle = cycle,
        VendorId = vendor,
        Kind = SurveyKinds.Annual,
        DueOn = new DateOnly(2026, 6, 30),
        Status = status,
        CreatedAt = DateTimeOffset.UtcNow.AddDays(-10),
        Segment = segment,
        Score = grade is null ? null : new AssignmentScore(1, critical ? "needs-correction" : "passed", percentage, grade, critical,
            [new SectionPercentage("GOV", "体制・規程", "Governance", percentage!.Value), new SectionPercentage("PHY", "物理的対策", "Physical", percentage.Value - 20)]),
    };

    private async Task<string> PageAsync(string url)
    {
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer, "reviewer@our-company.example.jp");
        using var response = await reviewer.GetAsync(url, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Token);
    }

    [Fact]
    public async Task GradesTheWeakestSectionsThePreviousCycleAndWhatNeedsActionShow()
    {
        var store = Services.GetRequiredService<AssignmentStore>();
        await store.CreateManyAsync(
        [
            Scored("plan-2023-05", "p1", AssignmentStatus.Accepted, First, "B", 80),
            Scored("plan-2023-05", "p2", AssignmentStatus.Accepted, First, "C", 65),
            Scored("plan-2023-05", "p3", AssignmentStatus.Accepted, Second, "A", 95),
        ], Token);
        await store.CreateManyAsync(
        [
            Scored("plan-2024-05", "p1", AssignmentStatus.Accepted, First, "A", 92),
            Scored("plan-2024-05", "p2", AssignmentStatus.Submitted, First, "D", 50, critical: true),
            Scored("plan-2024-05", "p3", AssignmentStatus.Accepted, Second, "A", 91),
            Scored("plan-2024-05", "p4", AssignmentStatus.Overdue, First),
        ], Token);

        var all = await PageAsync("/staff?cycle=plan-2024-05");
        var second = await PageAsync("/staff?cycle=plan-2024-05&owner=" + Uri.EscapeDataString(Second.OwnerEmail));
        var low = await PageAsync("/staff?cycle=plan-2024-05&tier=low");

        Assert.Contains("調査の状況（4件）", all, StringComparison.Ordinal);
        Assert.Matches(Row("等級 A", 2), all);
        Assert.Matches(Row("等級 D", 1), all);
        Assert.Matches(Row("要是正", 1), all);
        Assert.Contains("<svg class=\"chart grades\" role=\"img\"", all, StringComparison.Ordinal);
        Assert.True(all.IndexOf("物理的対策（要注意）", StringComparison.Ordinal) < all.IndexOf("体制・規程", StringComparison.Ordinal), "the weakest section comes first");
        Assert.Contains("年間計画 2023年5月期", all, StringComparison.Ordinal);
        Assert.Matches(ComparisonRow("平均点", "77.7", "80"), all);
        Assert.Matches(Row("上がった", 1), all);
        Assert.Matches(Row("下がった", 1), all);
        Assert.Matches(Row("変わらない", 1), all);
        Assert.Contains("提出物の確認待ち: 1", all, StringComparison.Ordinal);
        Assert.Contains("重要項目の不備: 1", all, StringComparison.Ordinal);
        Assert.Contains("回答期限超過: 1", all, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(AssignmentKey.For("plan-2024-05", "p2", SurveyKinds.Annual)), all, StringComparison.Ordinal);

        Assert.Contains("調査の状況（1件）", second, StringComparison.Ordinal);
        Assert.Matches(Row("変わらない", 1), second);
        Assert.Matches(Row("上がった", 0), second);
        Assert.Contains("<option value=\"second@our-company.example.jp\" selected", second, StringComparison.Ordinal);
        Assert.Contains("この条件", low, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubcontractorsAwaitingApprovalAndCertificationsExpiringWithinSixtyDaysNeedAction()
    {
        var registry = Services.GetRequiredService<VendorRegistry>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var parent = await registry.CreateAsync(SampleVendors.Domestic("株式会社親委託先"), "test", Token);
        var expiring = await registry.CreateAsync(SampleVendors.Domestic("株式会社期限間近") with
        {
            Certifications = [new("iso27001", "ISO/IEC 27001", "IS 1", today.AddDays(30)), new("privacymark", null, "1", today.AddDays(400))],
        }, "test", Token);
        var later = await registry.CreateAsync(SampleVendors.Domestic("株式会社期限まだ先") with { Certifications = [new("iso27001", null, "IS 2", today.AddDays(90))] }, "test", Token);
        var waiting = await registry.CreateAsync(SampleVendors.Domestic("株式会社承認待ち再委託先", parent.Id) with { PriorApproval = new("requested", null, null, null) }, "test", Token);

        var page = await PageAsync("/staff?cycle=plan-2001-01");

        Assert.Contains("認証の期限（iso27001）", page, StringComparison.Ordinal);
        Assert.Contains(expiring.Vendor.LegalName.Ja, page, StringComparison.Ordinal);
        Assert.DoesNotContain(later.Vendor.LegalName.Ja, page, StringComparison.Ordinal);
        Assert.Contains("再委託の事前承認待ち", page, StringComparison.Ordinal);
        Assert.Contains(waiting.Vendor.LegalName.Ja, page, StringComparison.Ordinal);

        // Approved: it leaves the list (the attention row changes with the vendor, in one transaction).
        await registry.UpdateAsync(waiting.Id, waiting.ETag, waiting.Vendor with { PriorApproval = new("approved", "admin", DateTimeOffset.UtcNow, null) }, "test", Token);
        Assert.DoesNotContain(waiting.Vendor.LegalName.Ja, await PageAsync("/staff?cycle=plan-2001-01"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARenderAtTenThousandAssignmentsMakesAtMostFiveStorageRoundTrips()
    {
        var store = Services.GetRequiredService<AssignmentStore>();
        var owners = Enumerable.Range(0, 10).Select(index => First with { OwnerEmail = $"owner{index}@our-company.example.jp", OwnerName = $"担当 {index}" }).ToList();
        var tiers = new[] { "high", "medium", "low" };
        var statuses = new[] { AssignmentStatus.Invited, AssignmentStatus.Opened, AssignmentStatus.Submitted, AssignmentStatus.Accepted, AssignmentStatus.Overdue };
        Assignment At(string cycle, int index) => Scored(cycle, $"r{index:00000}", statuses[index % statuses.Length], owners[index % owners.Count] with { Tier = tiers[index % 3] },
            index % 5 == 3 ? "ABCD"[index % 4].ToString() : null, index % 5 == 3 ? 50 + (index % 50) : null);
        await store.CreateManyAsync([.. Enumerable.Range(0, 2_000).Select(index => At("plan-2022-07", index))], Token);
        await store.CreateManyAsync([.. Enumerable.Range(0, 10_000).Select(index => At("plan-2023-07", index))], Token);

        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);
        foreach (var url in new[] { "/staff?cycle=plan-2023-07", "/staff?cycle=plan-2023-07&tier=low&owner=owner3%40our-company.example.jp" })
        {
            using var response = await reviewer.GetAsync(url, Token);
            var html = await response.Content.ReadAsStringAsync(Token);
            var timing = response.Headers.GetValues("Server-Timing").Single();

            Assert.Contains("調査の状況", html, StringComparison.Ordinal);
            Assert.Contains("年間計画 2022年7月期", html, StringComparison.Ordinal);
            Assert.InRange(RoundTrips(timing), 1, 5);
            Assert.DoesNotContain("table-write", timing, StringComparison.Ordinal);
        }
    }

    private static int RoundTrips(string serverTiming) => int.Parse(TotalTiming().Match(serverTiming).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static Regex Row(string label, int count) => new($@"<th scope=""row"">{Regex.Escape(label)}</th><td class=""num"">{count}</td>");

    private static Regex ComparisonRow(string label, string current, string previous) =>
        new($@"<th scope=""row"">{Regex.Escape(label)}</th><td class=""num"">{Regex.Escape(current)}</td><td class=""num"">{Regex.Escape(previous)}</td>");

    [GeneratedRegex(@"(?:^|, )storage;desc=""(\d+)""")]
    private static partial Regex TotalTiming();
}
