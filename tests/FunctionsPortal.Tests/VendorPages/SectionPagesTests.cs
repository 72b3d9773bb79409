using System.Net;
using System.Text;
using Azure.Storage.Blobs.Models;
using FunctionsPortal.Evidence;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Evidence;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// Answering a section: drafts that follow the link to another device, uploads that are refused with a message while
/// the answers stay saved, and last cycle's answers carried forward.
/// </summary>
public sealed class SectionPagesTests(AzuriteFixture azurite) : VendorPagesHttpTestBase(azurite)
{
    [Fact]
    public async Task ADraftSavedOnOneDeviceOpensOnAnotherWithTheSameLink()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var phone = NewBrowser();
        using var laptop = NewBrowser();

        using var saved = await PostFormAsync(phone, invited.Url("/s/governance"), invited.Url("/s/governance"),
            [("items", "GOV-03,GOV-04"), ("a.GOV-03.status", "partial"), ("a.GOV-03.comment", "来月に任命予定"), ("action", "save")]);
        var onLaptop = await PageAsync(laptop, invited.Url("/s/governance"));
        var draft = await DraftAsync(invited);
        var assignment = await Services.GetRequiredService<AssignmentStore>().FindAsync(invited.Assignment.Key, Token);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(invited.Url("/s/governance"), saved.Headers.Location?.OriginalString);
        Assert.Equal("partial", draft.Answers["GOV-03"].Status);
        Assert.False(draft.Answers.ContainsKey("GOV-04"));
        Assert.Matches(@"value=""partial"" checked", onLaptop);
        Assert.Contains("来月に任命予定", onLaptop, StringComparison.Ordinal);
        Assert.Equal(AssignmentStatus.InProgress, assignment!.Status);
    }

    [Fact]
    public async Task AnOversizedOrMismatchedUploadIsRefusedWithAMessageAndTheAnswersStaySaved()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser();
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0 };
        var big = SurveyScenario.Pdf().Concat(new byte[5000]).ToArray();

        using var response = await PostFormAsync(browser, invited.Url("/s/governance"), invited.Url("/s/governance"),
            [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("action", "save")],
            [("f.GOV-03", "organisation.pdf", png), ("f.GOV-03", "huge.pdf", big), ("f.GOV-03", "appointment.pdf", SurveyScenario.Pdf())]);
        var page = await PageAsync(browser, invited.Url("/s/governance"));
        var draft = await DraftAsync(invited);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("done", draft.Answers["GOV-03"].Status);
        var kept = Assert.Single(draft.Evidence);
        Assert.Equal("appointment.pdf", kept.FileName);
        Assert.Contains("organisation.pdf", page, StringComparison.Ordinal);
        Assert.Contains("huge.pdf", page, StringComparison.Ordinal);
        Assert.Contains("error-summary", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWordFileWithMacrosIsRefusedAndNotStoredWhileACleanOneIsKept()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser();
        var macros = OfficeSamples.Doc(wordDocumentBytes: 256);
        // Under the 4 KiB test limit: the storages alone are what Word keeps a VBA project in.
        macros.AddStorage("VBA", macros.AddStorage("Macros"));

        using var response = await PostFormAsync(browser, invited.Url("/s/governance"), invited.Url("/s/governance"),
            [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("action", "save")],
            [("f.GOV-03", "規程.doc", macros.ToArray()), ("f.GOV-03", "体制図.doc", OfficeSamples.Doc(wordDocumentBytes: 256).ToArray())]);
        var page = await PageAsync(browser, invited.Url("/s/governance"));
        var draft = await DraftAsync(invited);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var kept = Assert.Single(draft.Evidence);
        Assert.Equal("体制図.doc", kept.FileName);
        Assert.Equal("application/msword", kept.ContentType);
        Assert.Contains("「規程.doc」: マクロを含む Office ファイルは受け付けていません", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        var stored = new List<string>();
        await foreach (var blob in Azurite.CreateStorage(App.Prefix).GetContainer(EvidenceStore.ContainerName).GetBlobsAsync(BlobTraits.None, BlobStates.Uncommitted, invited.Assignment.Key + "/", Token))
        {
            stored.Add(blob.Name);
        }

        Assert.Equal([kept.BlobName], stored);
    }

    [Fact]
    public async Task AnUploadPastTheRequestLimitSentChunkedGetsAPageSayingSoNotAStalePage()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser();
        var antiforgery = AntiforgeryToken(await PageAsync(browser, invited.Url("/s/governance")));
        var head = Encoding.UTF8.GetBytes(
            $"--b\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n{antiforgery}\r\n--b\r\nContent-Disposition: form-data; name=\"f.GOV-03\"; filename=\"huge.pdf\"\r\nContent-Type: application/pdf\r\n\r\n");
        // The form's limit is the assignment's allowance (64 KiB here) plus 8 MiB for the answers.
        using var body = new StreamedBody(head, 9L * 1024 * 1024, "multipart/form-data; boundary=b");

        using var response = await browser.PostAsync(invited.Url("/s/governance"), body, Token);
        var page = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("ファイルが大きすぎます", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LastCyclesAnswersComeForwardWhenTheVendorSaysTheyAreStillTrue()
    {
        var lastYear = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, lastYear, Token, comment: "昨年の回答");
        using var browser = NewBrowser();
        await SubmitAsync(browser, lastYear);
        var thisYear = await InviteAgainAsync(lastYear);

        var section = await PageAsync(browser, thisYear.Url("/s/governance"));
        using (await PostFormAsync(browser, thisYear.Url("/s/governance"), thisYear.Url("/s/governance"),
            [("items", "GOV-03,GOV-04"), ("a.GOV-03.still", "1"), ("a.GOV-04.status", "partial"), ("a.GOV-04.still", "1"), ("action", "save")]))
        {
        }

        var draft = await DraftAsync(thisYear);
        Assert.Contains("前回の回答", section, StringComparison.Ordinal);
        Assert.Equal(("done", "昨年の回答"), (draft.Answers["GOV-03"].Status, draft.Answers["GOV-03"].Comment));
        Assert.Equal("partial", draft.Answers["GOV-04"].Status); // what the vendor typed wins over last year's
        Assert.Contains(draft.Evidence, file => file.ItemId == "GOV-03" && file.BlobName.StartsWith(lastYear.Assignment.Key, StringComparison.Ordinal));
        Assert.Equal(["GOV-03", "GOV-04"], draft.CarriedForward);
    }

    [Fact]
    public async Task AnUnchangedSectionIsAnsweredWithOneButton()
    {
        var lastYear = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, lastYear, Token);
        using var browser = NewBrowser();
        await SubmitAsync(browser, lastYear);
        var thisYear = await InviteAgainAsync(lastYear);

        using var carried = await PostFormAsync(browser, thisYear.Url("/s/training"), thisYear.Url("/s/training"), [("items", "TRN-01,TRN-02,TRN-07"), ("action", "carry-all")]);
        var page = await PageAsync(browser, thisYear.Url("/s/training"));
        var draft = await DraftAsync(thisYear);
        var previous = (await Services.GetRequiredService<SubmissionSealer>().ReadAsync(lastYear.Assignment.Key, 1, Token)).Payload;

        Assert.Equal(["TRN-01", "TRN-02", "TRN-07"], draft.Answers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(previous.Answers["TRN-02"].Choices, draft.Answers["TRN-02"].Choices);
        Assert.Equal(previous.Evidence.Where(file => file.ItemId.StartsWith("TRN", StringComparison.Ordinal)).Select(file => file.Sha256).Order(StringComparer.Ordinal),
            draft.Evidence.Select(file => file.Sha256).Order(StringComparer.Ordinal));
        Assert.Contains("前回の回答を引き継ぎました", page, StringComparison.Ordinal);
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
}
