using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsPortal.Audit;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Mail;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// The vendor's corrective actions through its link: only its own, a remediation report checked, hashed and sealed,
/// a report sent back with a message and handed in again.
/// </summary>
public sealed partial class VendorActionsPagesTests(AzuriteFixture azurite) : VendorPagesHttpTestBase(azurite)
{
    private CorrectiveActionStore Actions => Services.GetRequiredService<CorrectiveActionStore>();

    private static (string, string, byte[]) Document(string marker) => ("files", $"{marker}.pdf", SurveyScenario.Pdf(marker));

    [Fact]
    public async Task AVendorSeesOnlyItsOwnActionsAndAnotherVendorsIdIsNotFound()
    {
        var (vendorA, openA, _) = await ActionScenario.AcceptedWithFindingsAsync(Services, Token);
        var (vendorB, openB, _) = await ActionScenario.AcceptedWithFindingsAsync(Services, Token);
        using var browserA = NewBrowser();

        var landing = await PageAsync(browserA, vendorA.Url("/"));
        var list = await PageAsync(browserA, vendorA.Url("/actions"));
        var ownForm = await PageAsync(browserA, vendorA.Url($"/actions/{openA.Id}"));
        using var foreign = await browserA.GetAsync(vendorA.Url($"/actions/{openB.Id}"), Token);
        using var foreignPost = await PostPageFormAsync(browserA, ownForm, vendorA.Url($"/actions/{openB.Id}"), [("statement", "他社の対応")], [Document("foreign")]);
        using var foreignFile = await browserA.GetAsync(vendorA.Url($"/actions/{openB.Id}/files/x"), Token);
        using var unknown = await browserA.GetAsync(vendorA.Url($"/actions/{vendorA.VendorId}.0000abcd"), Token);

        Assert.Contains(vendorA.Url("/actions"), landing, StringComparison.Ordinal);
        Assert.Contains("是正対応のお願い", landing, StringComparison.Ordinal);
        Assert.Contains(openA.Id, list, StringComparison.Ordinal);
        Assert.Contains(ActionScenario.PlannedItem, list, StringComparison.Ordinal);
        Assert.Contains("USBメモリ", list, StringComparison.Ordinal); // the request, in Japanese
        Assert.DoesNotContain(vendorB.VendorId, list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var foreignPage = await foreign.Content.ReadAsStringAsync(Token);
        Assert.Contains("対応が見つかりません", foreignPage, StringComparison.Ordinal);
        Assert.DoesNotContain("是正報告の提出", foreignPage, StringComparison.Ordinal); // nothing of B's action is shown
        Assert.Equal(HttpStatusCode.NotFound, foreignPost.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignFile.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(ActionStatuses.Open, (await Actions.FindAsync(openB.Id, Token))!.Status); // untouched
    }

    [Fact]
    public async Task ARemediationReportIsHashedSealedAndWaitsForStaff()
    {
        var (vendor, open, _) = await ActionScenario.AcceptedWithFindingsAsync(Services, Token);
        using var browser = NewBrowser();
        var url = vendor.Url($"/actions/{open.Id}");
        var document = SurveyScenario.Pdf("usb-control");

        using var blank = await PostFormAsync(browser, url, url, [("statement", "  ")], [("files", "usb-control.pdf", document)]);
        var blankPage = await blank.Content.ReadAsStringAsync(Token);
        using var noDocument = await PostFormAsync(browser, url, url, [("statement", "USB制御ソフトを全端末に導入しました。")]);
        var noDocumentPage = await noDocument.Content.ReadAsStringAsync(Token);
        using var sent = await PostFormAsync(browser, url, url, [("statement", "USB制御ソフトを全端末に導入しました。\n設定画面の写しを添付します。")], [("files", "usb-control.pdf", document)]);
        var after = await PageAsync(browser, url);
        var action = (await Actions.FindAsync(open.Id, Token))!;
        var sealer = Services.GetRequiredService<RemediationSealer>();
        var verification = await sealer.VerifyAsync(open.Id, 1, Token);
        var stored = JsonSerializer.Deserialize<RemediationEnvelope>((await sealer.ReadAsync(open.Id, 1, Token))!, JsonSerializerOptions.Web)!;
        var audit = (await Services.GetRequiredService<AuditTrail>().ListAsync(vendor.VendorId, 50, null, Token)).Records;

        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Contains("実施した是正の内容を記入してください", blankPage, StringComparison.Ordinal);
        Assert.Contains("もう一度選択してください", blankPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noDocument.StatusCode);
        Assert.Contains("是正を裏付ける資料を添付してください", noDocumentPage, StringComparison.Ordinal);
        Assert.Contains("USB制御ソフトを全端末に導入しました。", noDocumentPage, StringComparison.Ordinal); // what was typed is not lost
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(url, sent.Headers.Location?.OriginalString);
        Assert.Contains("是正報告を受け付けました", after, StringComparison.Ordinal);
        Assert.DoesNotContain("是正報告を提出する", after, StringComparison.Ordinal); // no form while staff review it

        Assert.Equal(ActionStatuses.Submitted, action.Status);
        var remediation = action.Remediation!;
        Assert.Equal(1, remediation.Number);
        var file = Assert.Single(remediation.Files);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(document)), file.Sha256);
        Assert.Equal("application/pdf", file.ContentType);
        Assert.True(verification.Valid, string.Join(" ", verification.Problems));
        Assert.Equal(remediation.SealSha256, stored.Sha256);
        Assert.Equal(RemediationPayload.CurrentFormat, stored.Payload.Format);
        Assert.Equal("USB制御ソフトを全端末に導入しました。\n設定画面の写しを添付します。", stored.Payload.Statement);
        Assert.Equal(file.Sha256, Assert.Single(stored.Payload.Files).Sha256);
        Assert.Contains(audit, record => record.Action == AuditActions.RemediationSubmitted && record.Subject == open.Id);
        Assert.Null(await Services.GetRequiredService<RemediationSealer>().TrySealAsync(stored.Payload, Token)); // write-once
    }

    [Fact]
    public async Task ASentBackReportShowsStaffsMessageAndCanBeHandedInAgain()
    {
        var (vendor, open, _) = await ActionScenario.AcceptedWithFindingsAsync(Services, Token);
        using var browser = NewBrowser();
        var url = vendor.Url($"/actions/{open.Id}");
        using var first = await PostFormAsync(browser, url, url, [("statement", "導入しました。")], [Document("first")]);
        var firstSeal = (await Actions.FindAsync(open.Id, Token))!.Remediation!.SealSha256;

        await Services.GetRequiredService<RemediationReviews>().ReturnAsync(open.Id, "全端末分の設定画面をご提出ください。<script>", "reviewer@our-company.example.jp", Token);
        var list = await PageAsync(browser, vendor.Url("/actions"));
        var returned = await PageAsync(browser, url);
        using var second = await PostPageFormAsync(browser, returned, url, [("statement", "全端末分の設定画面を添付します。")], [Document("second")]);
        var action = (await Actions.FindAsync(open.Id, Token))!;
        var stored = JsonSerializer.Deserialize<RemediationEnvelope>((await Services.GetRequiredService<RemediationSealer>().ReadAsync(open.Id, 2, Token))!, JsonSerializerOptions.Web)!;

        Assert.Contains("全端末分の設定画面をご提出ください。&lt;script&gt;", list, StringComparison.Ordinal);
        Assert.Contains("差し戻し", returned, StringComparison.Ordinal);
        Assert.Contains("全端末分の設定画面をご提出ください。&lt;script&gt;", returned, StringComparison.Ordinal);
        Assert.Contains("是正報告を提出する", returned, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(ActionStatuses.Submitted, action.Status);
        Assert.Equal(2, action.Remediation!.Number);
        Assert.Null(action.ReturnedMessage);
        Assert.Equal(firstSeal, stored.Payload.PreviousSha256);
        // The task's own events (created on the local task list) interleave; the remediation's are in this order.
        Assert.Equal(["raised", "remediation-submitted", "returned", "remediation-submitted"], action.History.Select(entry => entry.Event).Where(name => !name.StartsWith("task-", StringComparison.Ordinal)));
        Assert.Contains("task-created", action.History.Select(entry => entry.Event));
    }

    [Fact]
    public async Task TheVendorIsToldOnceByMailAndTheMailsLinkLeadsToItsActions()
    {
        var (vendor, open, _) = await ActionScenario.AcceptedWithFindingsAsync(Services, Token);
        var queued = (await Services.GetRequiredService<PortalStorage>().GetQueue(SurveyMailRequests.QueueName).PeekMessagesAsync(32, Token)).Value
            .Select(message => message.Body.ToString()).Where(body => body.Contains(vendor.Assignment.Key, StringComparison.Ordinal)).ToList();
        var mail = await Services.GetServices<IMailComposer>().OfType<SurveyMailComposer>().Single()
            .ComposeAsync(new MailRequest(vendor.Assignment.Key, SurveyMailComposer.CorrectiveActionsMail, SurveyMailComposer.CorrectiveActionsPurpose, "officer@vendor.example.jp"), Token);
        var link = ActionsLinkPattern().Match(mail!.TextBody);
        using var browser = NewBrowser();
        var page = await PageAsync(browser, link.Value);

        Assert.Single(queued, body => body.Contains(SurveyMailComposer.CorrectiveActionsMail, StringComparison.Ordinal));
        Assert.StartsWith("【是正対応のお願い】", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("是正対応をお願いしたく", mail.TextBody, StringComparison.Ordinal);
        Assert.True(link.Success, mail.TextBody);
        Assert.Contains(open.Id, page, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"/v/[A-Za-z0-9_-]{24}/actions")]
    private static partial Regex ActionsLinkPattern();
}
