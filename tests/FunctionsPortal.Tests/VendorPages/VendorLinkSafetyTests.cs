using System.Net;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// What the vendor's link protects: a revoked or expired link shows nothing, one vendor never reaches another's answers
/// or documents, forms need their antiforgery token, and what a vendor types is never run as markup.
/// </summary>
public sealed class VendorLinkSafetyTests(AzuriteFixture azurite) : VendorPagesHttpTestBase(azurite)
{
    private static readonly string[] PagesOfAVendor = ["", "/s/governance", "/review", "/subcontractors"];

    [Fact]
    public async Task ARevokedOrExpiredLinkShowsAClearPageAndNoData()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));
        await using var app = new PortalApplication(Azurite, timeProvider: clock);
        await app.Services.WhenStorageReadyAsync();
        var revoked = await SurveyScenario.InviteAsync(app.Services, Token, vendor: SampleVendors.Domestic("株式会社取消済み"));
        var expiring = await SurveyScenario.InviteAsync(app.Services, Token, vendor: SampleVendors.Domestic("株式会社期限切れ"));
        await app.Services.GetRequiredService<SurveyLinks>().RevokeAsync(revoked.Assignment.Key, Token);
        using var browser = app.CreateClient();

        using var revokedPage = await browser.GetAsync(revoked.Url("/s/governance"), Token);
        clock.Advance(TimeSpan.FromDays(30 + 14 + 2)); // past the due date and the grace period
        using var expiredPage = await browser.GetAsync(expiring.Url(), Token);
        var revokedHtml = await revokedPage.Content.ReadAsStringAsync(Token);
        var expiredHtml = await expiredPage.Content.ReadAsStringAsync(Token);

        Assert.Equal((HttpStatusCode.Gone, HttpStatusCode.Gone), (revokedPage.StatusCode, expiredPage.StatusCode));
        Assert.Contains("このリンクは無効になりました", revokedHtml, StringComparison.Ordinal);
        Assert.Contains("有効期限が切れています", expiredHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("株式会社取消済み", revokedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("株式会社期限切れ", expiredHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("GOV-03", revokedHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormPostedWithoutItsAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser();

        using var response = await PostFormAsync(browser, invited.Url("/s/governance"), invited.Url("/s/governance"),
            [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("action", "save")], withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ページの有効期限が切れました", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Empty((await DraftAsync(invited)).Answers);
    }

    [Fact]
    public async Task OneVendorsLinkNeverShowsOrChangesAnotherVendorsAnswers()
    {
        var vendorA = await SurveyScenario.InviteAsync(Services, Token);
        var vendorB = await SurveyScenario.InviteAsync(Services, Token, vendor: SampleVendors.Domestic("株式会社ベータ"));
        using var browserA = NewBrowser();
        using var browserB = NewBrowser();
        using (await PostFormAsync(browserB, vendorB.Url("/s/governance"), vendorB.Url("/s/governance"),
            [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("a.GOV-03.comment", "B-ONLY-SECRET"), ("action", "save")]))
        {
        }

        // A posts B's item ids (and B's assignment key as a stray field) through A's own link.
        using (await PostFormAsync(browserA, vendorA.Url("/s/governance"), vendorA.Url("/s/governance"),
            [("items", "GOV-03"), ("a.GOV-03.status", "not-done"), ("assignment", vendorB.Assignment.Key), ("action", "save")]))
        {
        }

        var pagesOfA = string.Concat(await Task.WhenAll(PagesOfAVendor.Select(path => PageAsync(browserA, vendorA.Url(path)))));
        Assert.DoesNotContain("B-ONLY-SECRET", pagesOfA, StringComparison.Ordinal);
        Assert.DoesNotContain("株式会社ベータ", pagesOfA, StringComparison.Ordinal);
        Assert.Equal("done", (await DraftAsync(vendorB)).Answers["GOV-03"].Status);
        Assert.Equal("not-done", (await DraftAsync(vendorA)).Answers["GOV-03"].Status);
    }

    [Fact]
    public async Task WhatAVendorTypesIsShownAsTextNeverRunAsMarkup()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser();
        const string payload = "<script>alert('x')</script><img src=x onerror=alert(2)>\"'&";

        using (await PostFormAsync(browser, invited.Url("/s/governance"), invited.Url("/s/governance"),
            [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("a.GOV-03.comment", payload), ("action", "save")]))
        {
        }

        var section = await PageAsync(browser, invited.Url("/s/governance"));
        var review = await PageAsync(browser, invited.Url("/review"));

        foreach (var html in new[] { section, review })
        {
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DocumentsDownloadOnlyThroughTheirOwnLinkOrForStaffFromTheSealedVersion()
    {
        var vendorA = await SurveyScenario.InviteAsync(Services, Token);
        var vendorB = await SurveyScenario.InviteAsync(Services, Token);
        var draftB = await SurveyScenario.CompleteDraftAsync(Services, vendorB, Token);
        using var browserA = NewBrowser();
        using var browserB = NewBrowser();
        using var staff = App.CreateStaffClient("Portal.Reviewer");
        var fileOfB = draftB.Evidence[0];
        await SubmitAsync(browserB, vendorB);

        using var own = await browserB.GetAsync(vendorB.Url($"/evidence/{fileOfB.Id}"), Token);
        using var foreign = await browserA.GetAsync(vendorA.Url($"/evidence/{fileOfB.Id}"), Token);
        using var forStaff = await staff.GetAsync($"/api/assignments/{vendorB.Assignment.Key}/submissions/1/evidence/{fileOfB.Id}", Token);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("attachment", own.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(SurveyScenario.Pdf(fileOfB.ItemId), await own.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forStaff.StatusCode);
        Assert.Equal("application/pdf", forStaff.Content.Headers.ContentType?.MediaType);
    }
}
