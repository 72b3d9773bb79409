using System.Net;
using System.Net.Http.Json;
using FunctionsPortal.Audit;
using FunctionsPortal.Auth;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.Subcontractors;

/// <summary>
/// The handling-method document is requested at declaration, and approval sees it: before it arrives, approval needs an
/// explicit "without the document" and a reason (recorded and audited); the vendor sees the approval as it truly stands.
/// </summary>
public sealed class PriorApprovalDecisionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private VendorStore Store => Services.GetRequiredService<VendorStore>();

    private async Task<(string Parent, string Child)> PendingSubcontractorAsync(PriorApproval? approval = null)
    {
        var parent = "vd" + Guid.NewGuid().ToString("N")[..10];
        var child = "vd" + Guid.NewGuid().ToString("N")[..10];
        await Store.AddAsync(parent, SampleVendors.Domestic("株式会社元請"), "test", Token);
        await Store.AddAsync(child, SampleVendors.Domestic("株式会社再委託先", parent) with { PriorApproval = approval ?? new PriorApproval("requested", null, null, null) }, "test", Token);
        return (parent, child);
    }

    /// <summary>The subcontractor's handling-method request as the planner files it, with its document sealed (version 1).</summary>
    private async Task<string> DocumentArrivedAsync(string childId)
    {
        var now = DateTimeOffset.UtcNow;
        var assignment = new Assignment
        {
            Cycle = SurveyPlanner.OnboardingCycle, VendorId = childId, Kind = SurveyKinds.HandlingMethod, DueOn = DateOnly.FromDateTime(now.UtcDateTime).AddDays(30),
            Status = AssignmentStatus.Invited, InvitedAt = now, CreatedAt = now,
        };
        var assignments = Services.GetRequiredService<AssignmentStore>();
        await assignments.CreateManyAsync([assignment], Token);
        await assignments.RecordSubmissionAsync(assignment.Key, 1, "Sealed v1", now, Token);
        return assignment.Key;
    }

    private async Task<HttpResponseMessage> DecideByApiAsync(HttpClient admin, string id, PriorApprovalRequest request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Put, $"/api/vendors/{id}/prior-approval") { Content = JsonContent.Create(request) };
        message.Headers.TryAddWithoutValidation("If-Match", (await Store.FindAsync(id, Token))!.ETag);
        return await admin.SendAsync(message, Token);
    }

    [Fact]
    public async Task BeforeTheDocumentArrivesApprovalNeedsAnExplicitWithoutDocumentAndAReasonWhichAreAudited()
    {
        var (_, child) = await PendingSubcontractorAsync();
        using var admin = _app.CreateStaffClient(StaffRoles.Admin, "admin@our-company.example.jp");

        using var plain = await DecideByApiAsync(admin, child, new PriorApprovalRequest("approved", "問題なし"));
        using var noReason = await DecideByApiAsync(admin, child, new PriorApprovalRequest("approved", null, WithoutDocument: true));
        var stillRequested = (await Store.FindAsync(child, Token))!.Vendor.PriorApproval!.Status;
        using var approved = await DecideByApiAsync(admin, child, new PriorApprovalRequest("approved", "同等の書面を契約時に受領済み", WithoutDocument: true));
        var decision = (await Store.FindAsync(child, Token))!.Vendor.PriorApproval!;
        var trail = await Services.GetRequiredService<AuditTrail>().ListAsync(child, 10, null, Token);

        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("handlingMethodDocument", await plain.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("requested", stillRequested);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(("approved", true, "同等の書面を契約時に受領済み"), (decision.Status, decision.WithoutDocument, decision.Reason));
        Assert.Contains(trail.Records, entry => entry.Action == AuditActions.ApprovedWithoutDocument && entry.By == "admin@our-company.example.jp" && entry.After!.Contains("契約時に受領済み", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheStaffPageShowsTheDocumentAndRefusesApprovalUntilItArrivesUnlessTickedWithAReason()
    {
        var (parent, waiting) = await PendingSubcontractorAsync();
        var (_, arrived) = await PendingSubcontractorAsync();
        var key = await DocumentArrivedAsync(arrived);
        using var admin = _app.CreateStaffClient(StaffRoles.Admin);
        var url = $"/staff/vendors/{parent}";
        var page = await PageAsync(admin, url);
        var arrivedPage = await PageAsync(admin, $"/staff/vendors/{arrived}");

        var refused = await (await PostPageFormAsync(admin, page, $"/staff/vendors/{waiting}/prior-approval", [("status", "approved"), ("reason", ""), ("back", url)])).Content.ReadAsStringAsync(Token);
        var ticked = await (await PostPageFormAsync(admin, refused, $"/staff/vendors/{waiting}/prior-approval", [("status", "approved"), ("reason", "緊急の発送業務のため"), ("withoutDocument", "true"), ("back", url)])).Content.ReadAsStringAsync(Token);
        var withDocument = await (await PostPageFormAsync(admin, arrivedPage, $"/staff/vendors/{arrived}/prior-approval", [("status", "approved"), ("reason", "")])).Content.ReadAsStringAsync(Token);

        Assert.Contains("未依頼・未着", page, StringComparison.Ordinal);
        Assert.Contains("name=\"withoutDocument\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/staff/assignments/{Uri.EscapeDataString(key)}?version=1\"", arrivedPage, StringComparison.Ordinal);
        Assert.Contains("到着済み", arrivedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"withoutDocument\"", arrivedPage, StringComparison.Ordinal);
        Assert.Contains("取扱方法の書面がまだ届いていません", refused, StringComparison.Ordinal);
        Assert.Contains("再委託を承認しました", ticked, StringComparison.Ordinal);
        Assert.True((await Store.FindAsync(waiting, Token))!.Vendor.PriorApproval!.WithoutDocument);
        Assert.Contains("再委託を承認しました", withDocument, StringComparison.Ordinal);
        var decided = (await Store.FindAsync(arrived, Token))!.Vendor.PriorApproval!;
        Assert.Equal(("approved", null), (decided.Status, decided.WithoutDocument));
    }

    [Fact]
    public async Task ADeclaredSubcontractorGetsItsDocumentRequestAtOnceWhileApprovalIsStillRequested()
    {
        var vendor = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser(_app);
        using (await PostFormAsync(browser, vendor.Url("/subcontractors"), vendor.Url("/subcontractors"),
            [("name", "株式会社即時依頼"), ("corporateNumber", SampleVendors.NextCorporateNumber()), ("country", "JP"), ("scope", "発送"), ("handlesPersonalData", "1"), ("contactName", "即時 一郎"), ("contactEmail", "ichiro@sub.example.jp")]))
        {
        }

        await Services.GetRequiredService<SurveyPlanner>().PlanAsync(Token);
        var declared = Assert.Single(await Store.ChildrenAsync(vendor.VendorId, Token));
        var request = Assert.Single(await Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(VendorId: declared.Id, Kind: SurveyKinds.HandlingMethod), Token));

        Assert.Equal("requested", declared.Vendor.PriorApproval!.Status);
        Assert.Equal(SurveyPlanner.OnboardingCycle, request.Cycle);
        Assert.False(new SurveyOptions().SubcontractorRequestNeedsApproval);
    }

    [Fact]
    public async Task TheVendorSeesEachApprovalAsItStandsInJapaneseAndEnglish()
    {
        var vendor = await SurveyScenario.InviteAsync(Services, Token);
        var now = DateTimeOffset.UtcNow;
        foreach (var (name, approval) in new (string, PriorApproval?)[]
        {
            ("株式会社未申請", null),
            ("株式会社承認待ち", new("requested", null, null, null)),
            ("株式会社承認済み", new("approved", "staff", now, null)),
            ("株式会社不承認", new("rejected", "staff", now, "体制不十分")),
        })
        {
            await Store.AddAsync("vd" + Guid.NewGuid().ToString("N")[..10], SampleVendors.Domestic(name, vendor.VendorId) with { PriorApproval = approval }, "test", Token);
        }

        using var browser = NewBrowser(_app);
        var japanese = await PageAsync(browser, vendor.Url("/subcontractors"));
        using (await browser.GetAsync(vendor.Url($"/lang/en?back={Uri.EscapeDataString(vendor.Url("/subcontractors"))}"), Token))
        {
        }

        var english = await PageAsync(browser, vendor.Url("/subcontractors"));

        Assert.Matches(Row("株式会社未申請", "未申請"), japanese);
        Assert.Matches(Row("株式会社承認待ち", "承認待ち"), japanese);
        Assert.Matches(Row("株式会社承認済み", "承認済み"), japanese);
        Assert.Matches(Row("株式会社不承認", "不承認"), japanese);
        Assert.Matches(Row("株式会社未申請", "Not requested"), english);
        Assert.Matches(Row("株式会社承認待ち", "Awaiting approval"), english);
        Assert.Matches(Row("株式会社不承認", "Not approved"), english);
    }

    /// <summary>The subcontractor's row: its name, its scope, then the approval cell.</summary>
    private static string Row(string name, string approval) => $@"<td>{name}</td>\s*<td>[^<]*</td>\s*<td>{approval}</td>";
}
