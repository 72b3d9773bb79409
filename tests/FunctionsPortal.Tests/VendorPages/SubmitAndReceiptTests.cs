using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// Submitting the review: one sealed version however often it is sent, a receipt that verifies, and a new version after
/// staff ask for changes.
/// </summary>
public sealed partial class SubmitAndReceiptTests(AzuriteFixture azurite) : VendorPagesHttpTestBase(azurite)
{
    [Fact]
    public async Task SubmittingTheSameReviewTwiceGivesOneSealedVersionAndAReceipt()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        using var browser = NewBrowser();
        var review = await PageAsync(browser, invited.Url("/review"));
        var revision = RevisionPattern().Match(review).Groups[1].Value;
        (string, string)[] attestation = [("revision", revision), ("officerName", "受任 太郎"), ("officerTitle", "取締役"), ("officerEmail", "officer@vendor.example.jp"), ("attest", "1")];

        using var first = await PostPageFormAsync(browser, review, invited.Url("/submit"), attestation);
        using var second = await PostPageFormAsync(browser, review, invited.Url("/submit"), attestation);
        var receipt = await PageAsync(browser, invited.Url("/receipts/1"));
        using var download = await browser.GetAsync(invited.Url("/receipts/1/download"), Token);
        var report = await Services.GetRequiredService<SubmissionVerifier>().VerifyAsync(await download.Content.ReadAsByteArrayAsync(Token), Token);

        Assert.Equal(invited.Url("/receipts/1"), first.Headers.Location?.OriginalString);
        Assert.Equal(invited.Url("/receipts/1"), second.Headers.Location?.OriginalString);
        Assert.Equal([1], await Services.GetRequiredService<SubmissionStore>().SealedVersionsAsync(invited.Assignment.Key, Token));
        Assert.Contains(report.Sha256!, receipt, StringComparison.Ordinal);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.True(report.Valid);
    }

    [Fact]
    public async Task AfterChangesAreRequestedTheVendorSeesTheMessageAndResubmitsANewVersion()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        using var browser = NewBrowser();
        using var staff = App.CreateStaffClient("Portal.Reviewer");
        await SubmitAsync(browser, invited);
        var readOnly = await PageAsync(browser, invited.Url());

        using var request = await staff.PostAsJsonAsync($"/api/assignments/{invited.Assignment.Key}/request-changes", new { message = "GOV-04 の規程の改訂日を添えてください。" }, Token);
        var landing = await PageAsync(browser, invited.Url());
        using (await PostFormAsync(browser, invited.Url("/s/governance"), invited.Url("/s/governance"),
            [("items", "GOV-04"), ("a.GOV-04.status", "done"), ("a.GOV-04.comment", "2026年4月改訂"), ("action", "save")]))
        {
        }

        var queued = await Services.GetRequiredService<FunctionsPortal.Storage.PortalStorage>().GetQueue(SurveyMailRequests.QueueName).PeekMessagesAsync(32, Token);
        var mail = await Services.GetServices<FunctionsPortal.Mail.IMailComposer>().OfType<SurveyMailComposer>().Single()
            .ComposeAsync(new FunctionsPortal.Mail.MailRequest(invited.Assignment.Key, "changes-1", SurveyMailComposer.ChangesRequestedPurpose, "officer@vendor.example.jp"), Token);
        // The mail carries a fresh link (the earlier one is superseded): the vendor resubmits through it.
        var fromMail = invited with { Token = MailLinkPattern().Match(mail!.TextBody).Groups[1].Value };
        var resubmitted = await SubmitAsync(browser, fromMail);
        var history = await Services.GetRequiredService<SubmissionStore>().ListAsync(invited.Assignment.Key, Token);
        var second = await Services.GetRequiredService<SubmissionSealer>().ReadAsync(invited.Assignment.Key, 2, Token);
        var assignment = await Services.GetRequiredService<AssignmentStore>().FindAsync(invited.Assignment.Key, Token);

        Assert.DoesNotContain("/s/governance", readOnly, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, request.StatusCode);
        Assert.Contains("GOV-04 の規程の改訂日を添えてください。", landing, StringComparison.Ordinal);
        Assert.Contains(queued.Value, message => message.Body.ToString().Contains("changes-1", StringComparison.Ordinal));
        Assert.StartsWith("【修正のお願い】", mail!.Subject, StringComparison.Ordinal);
        Assert.Contains("GOV-04 の規程の改訂日を添えてください。", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<p data-part=\"body\">GOV-04 の規程の改訂日を添えてください。</p>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(fromMail.Url("/receipts/2"), resubmitted);
        Assert.Equal([1, 2], history.Select(record => record.Version));
        Assert.Equal(history[0].Sha256, second.Payload.PreviousSha256);
        Assert.Equal("2026年4月改訂", second.Payload.Answers["GOV-04"].Comment);
        Assert.Equal(AssignmentStatus.Resubmitted, assignment!.Status);
    }

    [GeneratedRegex(@"/v/([A-Za-z0-9_-]{24})")]
    private static partial Regex MailLinkPattern();
}
