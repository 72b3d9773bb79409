using System.Globalization;
using System.Net;
using FunctionsPortal.Submissions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// The ○/△/× ledger on the vendor's pages: a △ asks for the planned date and the measure, a × on a non-critical item for
/// the reason and a plan or a request that we accept the risk; required for submission, and sealed with the answer.
/// </summary>
public sealed class LedgerFieldsTests(AzuriteFixture azurite) : VendorPagesHttpTestBase(azurite)
{
    private static DateOnly TodayInJapan => DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).DateTime);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheLedgerFieldsFollowTheAnswerAndAreKeptOnlyForIt()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser();
        var url = invited.Url("/s/technical");
        var planned = Day(TodayInJapan.AddDays(40));

        var empty = await PageAsync(browser, url);
        using var saved = await PostFormAsync(browser, url, url,
        [
            ("items", "TEC-03,TEC-05,TEC-07"), ("action", "save"),
            ("a.TEC-03.status", "not-done"), ("a.TEC-03.reason", "端末の入替え待ちのため"), ("a.TEC-03.accept", "1"),
            ("a.TEC-05.status", "not-done"), ("a.TEC-05.reason", "重要項目なので記録されない"),
            ("a.TEC-07.status", "partial"), ("a.TEC-07.planned", planned), ("a.TEC-07.measure", "ファイルサーバーを暗号化する"), ("a.TEC-07.reason", "△には不要"),
        ]);
        var answered = await PageAsync(browser, url);
        var draft = await DraftAsync(invited);
        using var done = await PostFormAsync(browser, url, url, [("items", "TEC-07"), ("action", "save"), ("a.TEC-07.status", "done"), ("a.TEC-07.planned", planned), ("a.TEC-07.measure", "残り")]);
        var afterDone = (await DraftAsync(invited)).Answers["TEC-07"];

        // Nothing answered: the ledger blocks are there (for the style sheet and the script to reveal) but hidden.
        Assert.Matches(@"data-ledger-for=""TEC-03"" data-ledger-when=""partial not-done"" hidden", empty);
        Assert.Matches(@"data-ledger-for=""TEC-05"" data-ledger-when=""partial"" hidden", empty); // a critical item: no risk acceptance, no reason
        Assert.DoesNotContain("a.TEC-05.reason", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("a.TEC-05.accept", empty, StringComparison.Ordinal);
        Assert.Contains("対応予定日", empty, StringComparison.Ordinal);
        Assert.Contains("残存リスクの受容を依頼する", empty, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var notDone = draft.Answers["TEC-03"];
        Assert.Equal(("端末の入替え待ちのため", true, (DateOnly?)null), (notDone.Reason, notDone.AcceptRisk, notDone.PlannedOn));
        Assert.Null(draft.Answers["TEC-05"].Reason);
        var partial = draft.Answers["TEC-07"];
        Assert.Equal((TodayInJapan.AddDays(40), "ファイルサーバーを暗号化する", (string?)null), (partial.PlannedOn, partial.Measure, partial.Reason));
        Assert.Matches(@"data-ledger-for=""TEC-03"" data-ledger-when=""partial not-done"">", answered); // shown for the saved ×
        Assert.Matches(@"name=""a.TEC-03.accept"" value=""1"" checked", answered);
        Assert.Contains($"value=\"{planned}\"", answered, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(("done", (DateOnly?)null, (string?)null), (afterDone.Status, afterDone.PlannedOn, afterDone.Measure)); // no stale plan on a ○
    }

    [Fact]
    public async Task SubmittingNamesWhatTheLedgerLacksAndTheSealCarriesIt()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        using var browser = NewBrowser();
        var url = invited.Url("/s/technical");
        var planned = Day(TodayInJapan.AddDays(30));

        using var incomplete = await PostFormAsync(browser, url, url,
        [
            ("items", "TEC-03,TEC-07,TEC-12"), ("action", "save"),
            ("a.TEC-03.status", "not-done"),
            ("a.TEC-07.status", "partial"), ("a.TEC-07.planned", Day(TodayInJapan)),
            ("a.TEC-12.status", "not-done"), ("a.TEC-12.reason", "閉域網のため"), ("a.TEC-12.planned", planned), ("a.TEC-12.measure", "更新する"), ("a.TEC-12.accept", "1"),
        ]);
        var review = await PageAsync(browser, invited.Url("/review"));
        // The review page offers no submit form while problems remain; a post anyway (a stale tab) is refused by the server too.
        using var refused = await PostFormAsync(browser, url, invited.Url("/submit"),
            [("revision", (await DraftAsync(invited)).Revision.ToString(CultureInfo.InvariantCulture)), ("officerName", "受任 太郎"), ("officerTitle", "取締役"), ("officerEmail", "officer@vendor.example.jp"), ("attest", "1")]);
        using var english = await browser.GetAsync(invited.Url($"/lang/en?back={Uri.EscapeDataString(invited.Url("/review"))}"), Token);
        var reviewInEnglish = await PageAsync(browser, invited.Url("/review"));
        await browser.GetAsync(invited.Url($"/lang/ja?back={Uri.EscapeDataString(invited.Url("/review"))}"), Token);

        using var fixedUp = await PostFormAsync(browser, url, url,
        [
            ("items", "TEC-03,TEC-07,TEC-12"), ("action", "save"),
            ("a.TEC-03.status", "not-done"), ("a.TEC-03.reason", "予算化前のため"), ("a.TEC-03.planned", planned), ("a.TEC-03.measure", "USB制御ソフトを導入する"),
            ("a.TEC-07.status", "partial"), ("a.TEC-07.planned", planned), ("a.TEC-07.measure", "暗号化する"),
            ("a.TEC-12.status", "not-done"), ("a.TEC-12.reason", "閉域網のため"), ("a.TEC-12.accept", "1"),
        ]);
        var reviewed = await PageAsync(browser, invited.Url("/review"));
        var receipt = await SubmitAsync(browser, invited);
        var sealedAnswers = (await Services.GetRequiredService<SubmissionSealer>().ReadAsync(invited.Assignment.Key, 1, Token)).Payload.Answers;

        Assert.Contains("未対応の理由を記入してください", review, StringComparison.Ordinal);
        Assert.Contains("対応予定日と対応内容を記入するか、「残存リスクの受容を依頼する」にチェックを入れてください", review, StringComparison.Ordinal);
        Assert.Contains("対応予定日には明日以降の日付を記入してください", review, StringComparison.Ordinal);
        Assert.Contains("対応内容（予定している措置）を記入してください", review, StringComparison.Ordinal);
        Assert.Contains("どちらか一方のみ", review, StringComparison.Ordinal);
        Assert.DoesNotContain("誓約して提出する", review, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(invited.Url("/review"), refused.Headers.Location?.OriginalString);
        Assert.Contains("Give the reason it is not done.", reviewInEnglish, StringComparison.Ordinal);
        Assert.Contains("The planned completion date must be after today.", reviewInEnglish, StringComparison.Ordinal);

        Assert.Contains("/receipts/1", receipt, StringComparison.Ordinal);
        // What is sealed is what the officer reviewed: the ledger fields are read back before submitting.
        Assert.Contains("対応内容: USB制御ソフトを導入する", reviewed, StringComparison.Ordinal);
        Assert.Contains("未対応の理由: 閉域網のため", reviewed, StringComparison.Ordinal);
        Assert.Contains("残存リスクの受容を依頼しています", reviewed, StringComparison.Ordinal);
        Assert.Equal(("not-done", "予算化前のため", planned, "USB制御ソフトを導入する", (bool?)null),
            (sealedAnswers["TEC-03"].Status, sealedAnswers["TEC-03"].Reason, sealedAnswers["TEC-03"].PlannedOn, sealedAnswers["TEC-03"].Measure, sealedAnswers["TEC-03"].AcceptRisk));
        Assert.Equal(("partial", planned, "暗号化する"), (sealedAnswers["TEC-07"].Status, sealedAnswers["TEC-07"].PlannedOn, sealedAnswers["TEC-07"].Measure));
        Assert.Equal(("閉域網のため", (bool?)true, (string?)null), (sealedAnswers["TEC-12"].Reason, sealedAnswers["TEC-12"].AcceptRisk, sealedAnswers["TEC-12"].PlannedOn));
    }
}
