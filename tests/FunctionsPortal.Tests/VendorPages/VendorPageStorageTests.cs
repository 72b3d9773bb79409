using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// What the vendor pages cost in storage round trips (the Server-Timing header, through the real app on Azurite), and
/// that what they keep between requests never hides a change: a vendor edited, a subcontractor added, last cycle sealed
/// later, a link replaced or withdrawn, another checklist version.
/// </summary>
public sealed partial class VendorPageStorageTests(AzuriteFixture azurite) : VendorPagesHttpTestBase(azurite)
{
    [Fact]
    public async Task ASectionPageViewReadsTheAssignmentAndTheDraftOnly()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser();
        await PageAsync(browser, invited.Url("/s/governance")); // the checklist, the vendor and last cycle are read once

        using var view = await browser.GetAsync(invited.Url("/s/training"), Token);
        var timing = ServerTiming(view);

        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.InRange(RoundTrips(timing), 1, 2);
        Assert.DoesNotContain("write", timing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADraftSaveAndAnAutosaveEachWriteTheDraftOnceInAtMostThreeRoundTrips()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser();
        var page = await PageAsync(browser, invited.Url("/s/governance"));
        // The first save also moves the survey to "in progress"; the saves after it are the ones a vendor repeats.
        using (await PostPageFormAsync(browser, page, invited.Url("/s/governance"), [("items", "GOV-03"), ("a.GOV-03.status", "partial"), ("action", "save")]))
        {
        }

        using var save = await PostPageFormAsync(browser, page, invited.Url("/s/governance"), [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("action", "save")]);
        using var autosave = await AutosaveAsync(browser, page, invited.Url("/s/governance"), [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("a.GOV-03.comment", "任命済み")]);
        var draft = await DraftAsync(invited);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal(HttpStatusCode.OK, autosave.StatusCode);
        foreach (var timing in new[] { ServerTiming(save), ServerTiming(autosave) })
        {
            Assert.InRange(RoundTrips(timing), 1, 3);
            Assert.Contains("storage-blob-write;desc=\"1\"", timing, StringComparison.Ordinal);
        }

        Assert.Equal(("done", "任命済み", 3), (draft.Answers["GOV-03"].Status, draft.Answers["GOV-03"].Comment, draft.Revision));
    }

    [Fact]
    public async Task AVendorEditedOrGivenASubcontractorAfterAPageWasSeenIsAskedAccordinglyOnTheNextPage()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        var registry = Services.GetRequiredService<VendorRegistry>();
        using var browser = NewBrowser();
        await PageAsync(browser, invited.Url("/s/governance"));
        using var beforeSubcontractor = await browser.GetAsync(invited.Url("/s/subcontracting"), Token);
        using var beforePremises = await browser.GetAsync(invited.Url("/s/physical"), Token);

        await registry.CreateAsync(SampleVendors.Domestic("株式会社再委託先", parentId: invited.VendorId), "test", Token);
        var vendor = (await registry.ProfileAsync(invited.VendorId, Token))!.Value.Record;
        await registry.UpdateAsync(vendor.Id, vendor.ETag, vendor.Vendor with { WorkLocations = [.. vendor.Vendor.WorkLocations, "vendor-premises"] }, "test", Token);
        var subcontracting = await PageAsync(browser, invited.Url("/s/subcontracting"));
        var physical = await PageAsync(browser, invited.Url("/s/physical"));

        // Not askable before (no subcontractor, no work at the vendor's premises): the section sends the vendor back.
        Assert.Equal(HttpStatusCode.Redirect, beforeSubcontractor.StatusCode);
        Assert.Contains("SUB-01", subcontracting, StringComparison.Ordinal);
        Assert.DoesNotContain("PHY-02", await beforePremises.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Contains("PHY-02", physical, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LastCycleSealedAfterThePageWasSeenIsShownOnTheNextView()
    {
        var lastYear = await SurveyScenario.InviteAsync(Services, Token);
        var thisYear = await InviteAgainAsync(lastYear);
        using var browser = NewBrowser();
        var before = await PageAsync(browser, thisYear.Url("/s/governance"));

        await SurveyScenario.CompleteDraftAsync(Services, lastYear, Token, comment: "昨年の回答");
        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(Services, lastYear, Token)).Status);
        var after = await PageAsync(browser, thisYear.Url("/s/governance"));

        Assert.DoesNotContain("前回の回答", before, StringComparison.Ordinal);
        Assert.Contains("前回の回答", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALinkThatOpenedBeforeIsRefusedOnceReplacedOrItsSurveyCancelled()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        var links = Services.GetRequiredService<SurveyLinks>();
        using var browser = NewBrowser();
        await PageAsync(browser, invited.Url("/s/governance"));

        var newer = await links.IssueAsync(invited.Assignment.Key, Token);
        using var replaced = await browser.GetAsync(invited.Url("/s/governance"), Token);
        var opened = await PageAsync(browser, $"/v/{newer}/s/governance");
        await Services.GetRequiredService<AssignmentStore>().TransitionAsync(invited.Assignment.Key, AssignmentStatus.Cancelled, "test", null, DateTimeOffset.UtcNow, Token);
        using var cancelled = await browser.GetAsync($"/v/{newer}/s/governance", Token);

        Assert.Equal(HttpStatusCode.Gone, replaced.StatusCode);
        Assert.Contains("GOV-03", opened, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, cancelled.StatusCode);
    }

    [Fact]
    public async Task EachSurveySeesItsOwnChecklistVersion()
    {
        var first = await SurveyScenario.InviteAsync(Services, Token, checklistVersion: 1);
        var second = await SurveyScenario.InviteAsync(Services, Token, checklistVersion: 2);
        using var browser = NewBrowser();

        var one = await PageAsync(browser, first.Url("/s/technical"));
        var two = await PageAsync(browser, second.Url("/s/technical"));

        // Version 2 of the lite survey adds TEC-16 (and a scoping section) to version 1.
        Assert.DoesNotContain("TEC-16", one, StringComparison.Ordinal);
        Assert.Contains("TEC-16", two, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> AutosaveAsync(HttpClient browser, string page, string url, IEnumerable<(string Name, string Value)> fields)
    {
        using var form = new MultipartFormDataContent { { new StringContent(AntiforgeryToken(page)), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = form };
        request.Headers.Add("X-Autosave", "1");
        return await browser.SendAsync(request, Token);
    }

    private async Task<InvitedVendor> InviteAgainAsync(InvitedVendor previous)
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var next = previous.Assignment with
        {
            Cycle = previous.Assignment.Cycle + "n", Status = AssignmentStatus.Invited, CurrentLinkHash = null, SubmittedVersion = null, History = [], CreatedAt = now,
        };
        await Services.GetRequiredService<AssignmentStore>().CreateManyAsync([next], Token);
        return new InvitedVendor(await Services.GetRequiredService<SurveyLinks>().IssueAsync(next.Key, Token), next, previous.VendorId);
    }

    private static string ServerTiming(HttpResponseMessage response) => string.Join(", ", response.Headers.GetValues("Server-Timing"));

    private static int RoundTrips(string serverTiming) => int.Parse(TotalTiming().Match(serverTiming).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(?:^|, )storage;desc=""(\d+)""")]
    private static partial Regex TotalTiming();
}
