using System.Net;
using System.Text.RegularExpressions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// Version 2 of the defaults on the vendor's pages: a scoping answer opens the subcontracting questions in the same
/// survey (section list, progress, review), agreement questions take their conditions, and the evidence label says
/// when a document is required.
/// </summary>
public sealed partial class ScopingAndAgreementPagesTests(AzuriteFixture azurite) : VendorPagesHttpTestBase(azurite)
{
    [Fact]
    public async Task AYesToSubcontractingOpensTheSubcontractingQuestionsOnLaterPagesOfTheSameSurvey()
    {
        // A vendor the registry knows no subcontractors of.
        var invited = await SurveyScenario.InviteAsync(Services, Token, checklistId: "annual-full", checklistVersion: 2);
        using var browser = NewBrowser();
        var before = await PageAsync(browser, invited.Url("/s/subcontracting"));
        var reviewBefore = await PageAsync(browser, invited.Url("/review"));

        using var saved = await PostFormAsync(browser, invited.Url("/s/scoping"), invited.Url("/s/scoping"),
            [("items", "SCP-01,SCP-02,SCP-03,SCP-04,SCP-05"), ("a.SCP-01.choice", "yes"), ("a.SCP-02.choice", "no"), ("a.SCP-04.choice", "no"), ("action", "save")]);
        var after = await PageAsync(browser, invited.Url("/s/subcontracting"));
        var reviewAfter = await PageAsync(browser, invited.Url("/review"));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Matches(@"id=""SUB-01""[^>]*hidden", before);
        Assert.Contains("該当する設問なし", before, StringComparison.Ordinal);
        Assert.DoesNotContain("SUB-01:", reviewBefore, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"id=""SUB-01""[^>]*hidden", after);
        Assert.Contains("SUB-01:", reviewAfter, StringComparison.Ordinal);
        Assert.Equal(Total(before) + 6, Total(after)); // SUB-01..05 and RET-03 (subcontractors return the data too)
        Assert.Matches(@"再委託</span> \(0/5\)|再委託 \(0/5\)", after);
        Assert.Matches(@"id=""OVS-01""[^>]*hidden", await PageAsync(browser, invited.Url("/s/overseas")));
    }

    [Fact]
    public async Task AnAgreementIsAnsweredAsOneAndItsConditionsAreRequiredOnlyWithConditions()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token, checklistId: "due-diligence", checklistVersion: 2);
        using var browser = NewBrowser();
        var page = await PageAsync(browser, invited.Url("/s/confirmations"));

        using (await PostFormAsync(browser, invited.Url("/s/confirmations"), invited.Url("/s/confirmations"),
            [("items", "DD-32,DD-33"), ("a.DD-32.status", "agree-with-conditions"), ("a.DD-33.status", "disagree"), ("a.DD-33.text", "stray"), ("action", "save")]))
        {
        }

        var withoutConditions = await PageAsync(browser, invited.Url("/review"));
        using (await PostFormAsync(browser, invited.Url("/s/confirmations"), invited.Url("/s/confirmations"),
            [("items", "DD-32"), ("a.DD-32.status", "agree-with-conditions"), ("a.DD-32.text", "再委託先の監督条項は当社標準書式で"), ("action", "save")]))
        {
        }

        var draft = await DraftAsync(invited);
        var review = await PageAsync(browser, invited.Url("/review"));

        Assert.Contains(@"value=""agree-with-conditions""", page, StringComparison.Ordinal);
        Assert.Contains("条件付きで同意する（条件を記入）", page, StringComparison.Ordinal);
        Assert.DoesNotContain("○ 対応済み</label>", Fieldset(page, "DD-33"), StringComparison.Ordinal);
        Assert.Contains("DD-32: 条件付きで同意する場合は、その条件を記入してください。", withoutConditions, StringComparison.Ordinal);
        Assert.Equal(("disagree", null), (draft.Answers["DD-33"].Status, draft.Answers["DD-33"].Text));
        Assert.Equal("再委託先の監督条項は当社標準書式で", draft.Answers["DD-32"].Text);
        Assert.DoesNotContain("DD-32:", review, StringComparison.Ordinal);
        Assert.Contains("条件付きで同意する（条件：再委託先の監督条項は当社標準書式で）", review, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEvidenceLabelSaysRequiredForCircleAndTriangleOnlyWhereTheAnswerDecides()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token, checklistId: "annual-full", checklistVersion: 2);
        using var browser = NewBrowser();

        var handling = await PageAsync(browser, invited.Url("/s/handling"));

        Assert.DoesNotContain("実施している場合は必須", handling, StringComparison.Ordinal);
        Assert.Contains("添付資料（必須）", Fieldset(handling, "HDL-06"), StringComparison.Ordinal); // a plain upload item
        Assert.Contains("添付資料（任意）", Fieldset(handling, "HDL-05"), StringComparison.Ordinal);
        Assert.Contains("添付資料（○・△の場合は必須）", Fieldset(await PageAsync(browser, invited.Url("/s/governance")), "GOV-03"), StringComparison.Ordinal);
    }

    private static int Total(string page) => int.Parse(TotalPattern().Match(page).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static string Fieldset(string page, string itemId)
    {
        var start = page.IndexOf($@"id=""{itemId}""", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{itemId} is not on the page");
        var end = page.IndexOf("</fieldset>", start, StringComparison.Ordinal);
        return page[start..end];
    }

    [GeneratedRegex(@"全体 \d+ / (\d+) 問")]
    private static partial Regex TotalPattern();
}
