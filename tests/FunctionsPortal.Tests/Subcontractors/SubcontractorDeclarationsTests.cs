using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsPortal.Audit;
using FunctionsPortal.Auth;
using FunctionsPortal.Subcontractors;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.Subcontractors;

/// <summary>
/// A vendor link is no registry oracle: a subcontractor declared with a corporate number we already hold looks to the vendor
/// exactly like a new one; staff see the match and link it (no second registry entry, audited); a link declares only so many.
/// </summary>
public sealed partial class SubcontractorDeclarationsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int PerLink = 3;
    private const int PerDay = 5;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, settings: new Dictionary<string, string?>
        {
            ["Subcontractors:MaxDeclarationsPerLink"] = PerLink.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Subcontractors:MaxDeclarationsPerDay"] = PerDay.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static (string, string)[] Declaration(string corporateNumber, string name = "株式会社再委託比較") =>
        [("name", name), ("corporateNumber", corporateNumber), ("country", "JP"), ("scope", "データ入力"), ("handlesPersonalData", "1"), ("contactName", "再委 次郎"), ("contactEmail", "jiro@sub.example.jp")];

    /// <summary>Declares through the vendor's page; returns the redirect and the page it leads to, with what differs per link (token, antiforgery) masked.</summary>
    private async Task<(HttpStatusCode Status, string? Location, string Page)> DeclareAsync(InvitedVendor vendor, string corporateNumber, string name = "株式会社再委託比較")
    {
        using var browser = VendorFormClient.NewBrowser(_app);
        var form = await PageAsync(browser, vendor.Url("/subcontractors"));
        using var posted = await PostPageFormAsync(browser, form, vendor.Url("/subcontractors"), Declaration(corporateNumber, name));
        var page = await PageAsync(browser, posted.Headers.Location!.OriginalString);
        return (posted.StatusCode, Mask(posted.Headers.Location.OriginalString, vendor), Mask(page, vendor));
    }

    private static string Mask(string text, InvitedVendor vendor) =>
        AntiforgeryValue().Replace(text.Replace(vendor.Token, "{token}", StringComparison.Ordinal), "value=\"{antiforgery}\"");

    private async Task<VendorRecord> RegisteredAsync(string name = "株式会社登録済み")
    {
        var id = "vh" + Guid.NewGuid().ToString("N")[..10];
        return await Services.GetRequiredService<VendorStore>().AddAsync(id, SampleVendors.Domestic(name), "test", Token);
    }

    private async Task<VendorRecord> DeclaredChildAsync(string parentId) =>
        Assert.Single(await Services.GetRequiredService<VendorStore>().ChildrenAsync(parentId, Token));

    [Fact]
    public async Task AKnownCorporateNumberGivesTheVendorExactlyWhatANewOneDoes()
    {
        var holder = await RegisteredAsync();
        var knownNumber = holder.Vendor.CorporateNumber!;
        var newNumber = SampleVendors.NextCorporateNumber();
        var first = await SurveyScenario.InviteAsync(Services, Token);
        var second = await SurveyScenario.InviteAsync(Services, Token);

        var withNew = await DeclareAsync(first, newNumber);
        var withKnown = await DeclareAsync(second, knownNumber);
        var store = Services.GetRequiredService<VendorStore>();
        var fresh = await DeclaredChildAsync(first.VendorId);
        var matched = await DeclaredChildAsync(second.VendorId);

        Assert.Equal(HttpStatusCode.Redirect, withKnown.Status);
        Assert.Equal(withNew.Status, withKnown.Status);
        Assert.Equal(withNew.Location, withKnown.Location);
        Assert.Equal(withNew.Page, withKnown.Page);
        Assert.Contains("株式会社再委託比較 を登録し、事前承認を依頼しました。", withKnown.Page, StringComparison.Ordinal);
        Assert.Contains("承認待ち", withKnown.Page, StringComparison.Ordinal);
        Assert.DoesNotContain("登録済み", withKnown.Page, StringComparison.Ordinal);

        // The number stays the holder's alone; the declaration only records the match.
        Assert.Equal(holder.Id, await store.HolderOfAsync(knownNumber, Token));
        Assert.Equal(fresh.Id, await store.HolderOfAsync(newNumber, Token));
        Assert.Null(fresh.Vendor.Match);
        Assert.Equal(new RegistryMatch(holder.Id), matched.Vendor.Match);
        Assert.Equal("requested", matched.Vendor.PriorApproval!.Status);

        // The handling-method request goes out at declaration to both: a mail that came only for new companies would tell.
        await Services.GetRequiredService<SurveyPlanner>().PlanAsync(Token);
        var assignments = Services.GetRequiredService<AssignmentStore>();
        var toFresh = Assert.Single(await assignments.ListAsync(new AssignmentQuery(VendorId: fresh.Id, Kind: SurveyKinds.HandlingMethod), Token));
        var toMatched = Assert.Single(await assignments.ListAsync(new AssignmentQuery(VendorId: matched.Id, Kind: SurveyKinds.HandlingMethod), Token));
        Assert.Equal(toFresh.Status, toMatched.Status);
        Assert.Equal(toFresh.DueOn, toMatched.DueOn);
    }

    [Fact]
    public async Task StaffSeeTheMatchAndLinkItSoTheCompanyStaysOneEntryAndGetsNoSecondRequest()
    {
        var holder = await RegisteredAsync("株式会社既存委託先");
        var parent = await SurveyScenario.InviteAsync(Services, Token);
        await DeclareAsync(parent, holder.Vendor.CorporateNumber!, name: "株式会社入力名");
        var declared = await DeclaredChildAsync(parent.VendorId);
        using var admin = _app.CreateStaffClient(StaffRoles.Admin, "admin@our-company.example.jp");
        var url = $"/staff/vendors/{parent.VendorId}";

        var before = await PageAsync(admin, url);
        using var approval = new HttpRequestMessage(HttpMethod.Put, $"/api/vendors/{declared.Id}/prior-approval") { Content = JsonContent.Create(new PriorApprovalRequest("approved", null)) };
        approval.Headers.TryAddWithoutValidation("If-Match", declared.ETag);
        using var approveByApi = await admin.SendAsync(approval, Token);
        using var linked = await PostPageFormAsync(admin, before, $"/staff/vendors/{declared.Id}/link", [("back", url)]);
        var after = await linked.Content.ReadAsStringAsync(Token);
        await Services.GetRequiredService<SurveyPlanner>().PlanAsync(Token);
        var record = (await Services.GetRequiredService<VendorStore>().FindAsync(declared.Id, Token))!;
        var registry = Services.GetRequiredService<VendorRegistry>();
        var search = await registry.ListAsync(new VendorQuery(null, null, null, null, holder.Vendor.CorporateNumber, null, null), Token);
        var audit = Services.GetRequiredService<AuditTrail>();
        var declarationTrail = await audit.ListAsync(declared.Id, 10, null, Token);
        var holderTrail = await audit.ListAsync(holder.Id, 10, null, Token);
        var vendorPage = await PageAsync(VendorFormClient.NewBrowser(_app), parent.Url("/subcontractors"));
        var holderPage = await PageAsync(admin, $"/staff/vendors/{holder.Id}");

        Assert.Contains("登録済みの委託先と一致", before, StringComparison.Ordinal);
        Assert.Contains($"href=\"/staff/vendors/{holder.Id}\">株式会社既存委託先</a>", before, StringComparison.Ordinal);
        Assert.Contains($"/staff/vendors/{declared.Id}/link", before, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, approveByApi.StatusCode);
        Assert.Contains(holder.Id, await approveByApi.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(url, linked.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("登録済みの委託先に紐付けました", after, StringComparison.Ordinal);
        Assert.Contains("登録済みの委託先に紐付け済み", after, StringComparison.Ordinal);
        Assert.True(record.Vendor.Match!.Linked);
        Assert.Equal(("approved", "admin@our-company.example.jp"), (record.Vendor.PriorApproval!.Status, record.Vendor.PriorApproval.By));
        Assert.Equal([holder.Id], search.Items.Select(item => item.Id));
        Assert.DoesNotContain(await registry.AllAsync(Token), view => view.Id == declared.Id);
        Assert.Empty(await Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(VendorId: declared.Id, Kind: SurveyKinds.HandlingMethod), Token));
        var linkRecord = declarationTrail.Records[0];
        Assert.Equal((AuditActions.SubcontractorLinked, "admin@our-company.example.jp"), (linkRecord.Action, linkRecord.By));
        Assert.Contains(holderTrail.Records, entry => entry.Action == AuditActions.SubcontractorLinked && entry.After!.Contains(parent.VendorId, StringComparison.Ordinal));
        Assert.Contains("再委託先として紐付け", holderPage, StringComparison.Ordinal);
        Assert.Contains($"href=\"/staff/vendors/{parent.VendorId}\"", holderPage, StringComparison.Ordinal);
        Assert.Contains("株式会社入力名", vendorPage, StringComparison.Ordinal);
        Assert.Contains("承認済み", vendorPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiShowsTheMatchInTheTreeAndLinksWithTheETag()
    {
        var holder = await RegisteredAsync();
        var parent = await SurveyScenario.InviteAsync(Services, Token);
        await DeclareAsync(parent, holder.Vendor.CorporateNumber!);
        var declared = await DeclaredChildAsync(parent.VendorId);
        using var admin = _app.CreateStaffClient(StaffRoles.Admin);

        var tree = await admin.GetFromJsonAsync<SubcontractorNode>($"/api/vendors/{parent.VendorId}/subcontractors", Json, Token);
        using var withoutETag = await admin.PostAsync($"/api/vendors/{declared.Id}/link", null, Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/vendors/{declared.Id}/link");
        request.Headers.TryAddWithoutValidation("If-Match", declared.ETag);
        using var linked = await admin.SendAsync(request, Token);
        var view = await linked.Content.ReadFromJsonAsync<VendorView>(Json, Token);
        using var again = new HttpRequestMessage(HttpMethod.Post, $"/api/vendors/{declared.Id}/link");
        again.Headers.TryAddWithoutValidation("If-Match", view!.ETag);
        using var twice = await admin.SendAsync(again, Token);

        Assert.Equal(new RegistryMatchView(holder.Id, holder.Vendor.LegalName.Ja, Linked: false), Assert.Single(tree!.Subcontractors).Match);
        Assert.Equal(HttpStatusCode.PreconditionRequired, withoutETag.StatusCode);
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        Assert.True(view.Vendor.Match!.Linked);
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
    }

    [Fact]
    public async Task ApprovingOrRejectingADeclarationWithoutAMatchWorksAsBefore()
    {
        var parent = await SurveyScenario.InviteAsync(Services, Token);
        await DeclareAsync(parent, SampleVendors.NextCorporateNumber());
        var declared = await DeclaredChildAsync(parent.VendorId);
        using var admin = _app.CreateStaffClient(StaffRoles.Admin);
        var url = $"/staff/vendors/{parent.VendorId}";
        var page = await PageAsync(admin, url);

        using var approved = await PostPageFormAsync(admin, page, $"/staff/vendors/{declared.Id}/prior-approval", [("status", "approved"), ("reason", "書面は別途受領済み"), ("withoutDocument", "true"), ("back", url)]);
        using var link = await PostPageFormAsync(admin, page, $"/staff/vendors/{declared.Id}/link", [("back", url)]);

        Assert.DoesNotContain("登録済みの委託先と一致", page, StringComparison.Ordinal);
        Assert.Contains("再委託を承認しました", await approved.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Contains("未処理の再委託先のみ紐付けできます", await link.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal("approved", (await Services.GetRequiredService<VendorStore>().FindAsync(declared.Id, Token))!.Vendor.PriorApproval!.Status);
    }

    [Fact]
    public async Task ALinkDeclaresOnlySoManyAndThenGetsAPoliteErrorWithNothingRegistered()
    {
        var holder = await RegisteredAsync();
        var vendor = await SurveyScenario.InviteAsync(Services, Token);
        for (var i = 0; i < PerLink; i++)
        {
            await DeclareAsync(vendor, SampleVendors.NextCorporateNumber(), name: $"株式会社上限{i}");
        }

        var overNew = await DeclareAsync(vendor, SampleVendors.NextCorporateNumber(), name: "株式会社上限超え");
        var overKnown = await DeclareAsync(vendor, holder.Vendor.CorporateNumber!, name: "株式会社上限超え");
        var children = await Services.GetRequiredService<VendorStore>().ChildrenAsync(vendor.VendorId, Token);

        Assert.Contains("上限に達しました", overNew.Page, StringComparison.Ordinal);
        Assert.Equal(overNew.Page, overKnown.Page);
        Assert.Equal(PerLink, children.Count);
        Assert.DoesNotContain(children, child => child.Vendor.LegalName.Ja == "株式会社上限超え");
    }

    [Fact]
    public async Task TheAllowanceCountsPerLinkAndPerDayForEachVendor()
    {
        var quota = Services.GetRequiredService<DeclarationQuota>();
        var vendor = "vq" + Guid.NewGuid().ToString("N")[..10];
        var other = "vq" + Guid.NewGuid().ToString("N")[..10];

        var firstLink = await Task.WhenAll(Enumerable.Range(0, PerLink + 1).Select(_ => quota.TryTakeAsync(vendor, "c1~x~annual", Token)));
        var secondLink = new List<bool>();
        for (var i = 0; i < PerLink; i++)
        {
            secondLink.Add(await quota.TryTakeAsync(vendor, "c2~x~annual", Token));
        }

        Assert.Equal(PerLink, firstLink.Count(taken => taken));
        Assert.Equal([true, true, false], secondLink);
        Assert.True(await quota.TryTakeAsync(other, "c1~x~annual", Token));
    }

    [Fact]
    public async Task TheRegistryExportedWithAMatchedDeclarationImportsBackUnchanged()
    {
        var holder = await RegisteredAsync();
        var parent = await SurveyScenario.InviteAsync(Services, Token);
        await DeclareAsync(parent, holder.Vendor.CorporateNumber!);
        var declared = await DeclaredChildAsync(parent.VendorId);
        var import = Services.GetRequiredService<VendorImport>();

        var exported = await import.ExportAsync("utf-8", Token);
        var report = await import.ImportAsync(exported.Content, partial: false, "test", Token);
        var after = await Services.GetRequiredService<VendorStore>().FindAsync(declared.Id, Token);

        Assert.True(report.Applied, string.Join("; ", report.Errors.Select(error => error.Message)));
        Assert.Empty(report.Errors);
        Assert.Equal(declared.Vendor.Match, after!.Vendor.Match);
        Assert.Equal(holder.Id, await Services.GetRequiredService<VendorStore>().HolderOfAsync(holder.Vendor.CorporateNumber!, Token));
    }

    [GeneratedRegex(@"value=""CfDJ8[^""]*""")]
    private static partial Regex AntiforgeryValue();
}
