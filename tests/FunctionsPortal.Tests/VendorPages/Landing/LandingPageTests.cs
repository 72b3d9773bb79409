using System.Text.RegularExpressions;
using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.VendorPages.Landing;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages.Landing;

/// <summary>The landing counts what the receipt counts (questions that apply given the answers) and estimates only what is left.</summary>
public sealed partial class LandingPageTests(AzuriteFixture azurite) : VendorPagesHttpTestBase(azurite)
{
    private async Task<VendorSession> SessionAsync(InvitedVendor invited) =>
        (await Services.GetRequiredService<VendorSessions>().LoadAsync(invited.Token, Token)).Session!;

    [Fact]
    public async Task TheLandingAndTheReceiptCountTheSameQuestions()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser();
        var before = Count().Match(await PageAsync(browser, invited.Url()));
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        var answered = Count().Match(await PageAsync(browser, invited.Url()));
        var receiptUrl = await SubmitAsync(browser, invited);
        var receipt = ReceiptCount().Match(await PageAsync(browser, receiptUrl!));

        Assert.True(before.Success && answered.Success && receipt.Success);
        var applicableAtFirst = int.Parse(before.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var mayAdd = before.Groups[2].Success ? int.Parse(before.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var sealedCount = int.Parse(receipt.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(sealedCount, int.Parse(answered.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(sealedCount, applicableAtFirst, applicableAtFirst + mayAdd);
        Assert.True(mayAdd > 0, "annual-lite has questions that appear after an answer (CRT-02/03 after CRT-01)");
    }

    [Fact]
    public async Task TheEstimateCountsWhatIsLeftAndLastCyclesAnswersTakeAQuarterOfTheTime()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        var session = await SessionAsync(invited);
        var applicable = session.VisibleSections().SelectMany(section => section.Items).ToList();
        var lastCycle = applicable.Take(8).ToDictionary(item => item.Id, _ => SealedAnswer.From(new ItemAnswer { Status = StatusAnswers.Done }, carriedForward: false), StringComparer.Ordinal);

        var fresh = LandingCounts.Of(session, null);
        var withLastCycle = LandingCounts.Of(session, lastCycle);
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        var done = LandingCounts.Of(await SessionAsync(invited), lastCycle);

        Assert.Equal(applicable.Count, fresh.ToAnswer);
        Assert.Equal((int)Math.Ceiling(applicable.Count * LandingCounts.MinutesPerQuestion), fresh.Minutes);
        Assert.Equal(8, withLastCycle.ToConfirm);
        Assert.Equal(applicable.Count - 8, withLastCycle.ToAnswer);
        Assert.Equal((int)Math.Ceiling(((applicable.Count - 8) * LandingCounts.MinutesPerQuestion) + (8 * LandingCounts.MinutesPerCarriedForward)), withLastCycle.Minutes);
        Assert.Equal(0, done.Minutes);
        Assert.Equal(done.Applicable, done.Answered);
    }

    [GeneratedRegex(@"<dd id=""question-count"">(\d+)問(?:（回答内容により最大 (\d+)問 増えます）)?</dd>")]
    private static partial Regex Count();

    [GeneratedRegex(@"<dd id=""receipt-counts"">該当する設問 (\d+)問")]
    private static partial Regex ReceiptCount();
}
