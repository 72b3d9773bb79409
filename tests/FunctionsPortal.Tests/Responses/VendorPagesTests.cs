using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Responses;

/// <summary>The vendor pages over HTTP (forms, redirects, cookies): rules a browser cannot see, like who may read what.</summary>
public sealed partial class VendorPagesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string[] PagesOfAVendor = ["", "/s/governance", "/review", "/subcontractors"];
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, settings: new Dictionary<string, string?>
        {
            ["Evidence:MaxFileBytes"] = "4096",
            ["Evidence:MaxAssignmentBytes"] = "65536",
        });
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A browser-like client: its own cookies (antiforgery), redirects not followed so each step can be checked.</summary>
    private HttpClient NewBrowser() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<string> PageAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Token);
    }

    private static string AntiforgeryToken(string html) => AntiforgeryPattern().Match(html) is { Success: true } match
        ? WebUtility.HtmlDecode(match.Groups[1].Value)
        : throw new InvalidOperationException("The page has no antiforgery field.");

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pageUrl, string postUrl, IEnumerable<(string Name, string Value)> fields,
        IEnumerable<(string Name, string FileName, byte[] Content)>? files = null, bool withAntiforgery = true) =>
        await PostPageFormAsync(client, await PageAsync(client, pageUrl), postUrl, fields, files, withAntiforgery);

    /// <summary>Posts a form of a page loaded earlier (a second tab still showing it).</summary>
    private static async Task<HttpResponseMessage> PostPageFormAsync(HttpClient client, string html, string postUrl, IEnumerable<(string Name, string Value)> fields,
        IEnumerable<(string Name, string FileName, byte[] Content)>? files = null, bool withAntiforgery = true)
    {
        using var form = new MultipartFormDataContent();
        if (withAntiforgery)
        {
            form.Add(new StringContent(AntiforgeryToken(html)), "__RequestVerificationToken");
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        foreach (var (name, fileName, content) in files ?? [])
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, name, fileName);
        }

        return await client.PostAsync(postUrl, form, Token);
    }

    private Task<Draft> DraftAsync(InvitedVendor invited) => Services.GetRequiredService<DraftStore>().GetAsync(invited.Assignment.Key, Token);

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
    public async Task ARevokedOrExpiredLinkShowsAClearPageAndNoData()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));
        await using var app = new PortalApplication(azurite, timeProvider: clock);
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
        using var staff = _app.CreateStaffClient("Portal.Reviewer");
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
        Assert.Contains("<p>GOV-04 の規程の改訂日を添えてください。</p>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(fromMail.Url("/receipts/2"), resubmitted);
        Assert.Equal([1, 2], history.Select(record => record.Version));
        Assert.Equal(history[0].Sha256, second.Payload.PreviousSha256);
        Assert.Equal("2026年4月改訂", second.Payload.Answers["GOV-04"].Comment);
        Assert.Equal(AssignmentStatus.Resubmitted, assignment!.Status);
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
    public async Task DocumentsDownloadOnlyThroughTheirOwnLinkOrForStaffFromTheSealedVersion()
    {
        var vendorA = await SurveyScenario.InviteAsync(Services, Token);
        var vendorB = await SurveyScenario.InviteAsync(Services, Token);
        var draftB = await SurveyScenario.CompleteDraftAsync(Services, vendorB, Token);
        using var browserA = NewBrowser();
        using var browserB = NewBrowser();
        using var staff = _app.CreateStaffClient("Portal.Reviewer");
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

    [Fact]
    public async Task ADeclaredSubcontractorIsApprovedThenSendsASealedHandlingMethodDocument()
    {
        var vendor = await SurveyScenario.InviteAsync(Services, Token);
        using var browser = NewBrowser();
        using (await PostFormAsync(browser, vendor.Url("/subcontractors"), vendor.Url("/subcontractors"),
            [("name", "株式会社再委託テスト"), ("corporateNumber", SampleVendors.NextCorporateNumber()), ("country", "JP"), ("scope", "データ入力"), ("handlesPersonalData", "1"), ("contactName", "再委 次郎"), ("contactEmail", "jiro@sub.example.jp")]))
        {
        }

        var registry = Services.GetRequiredService<VendorRegistry>();
        var declared = (await registry.AllAsync(Token)).Single(view => view.Vendor.ParentId == vendor.VendorId);
        var waiting = await PageAsync(browser, vendor.Url("/subcontractors"));
        using var staff = _app.CreateStaffClient("Portal.Reviewer");
        var requests = await staff.GetStringAsync("/api/vendors?approval=requested", Token);
        await registry.UpdateAsync(declared.Id, declared.ETag, declared.Vendor with { PriorApproval = new PriorApproval("approved", "staff@our-company.example.jp", DateTimeOffset.UtcNow, null) }, "staff", Token);
        await Services.GetRequiredService<SurveyPlanner>().PlanAsync(Token);
        var document = Assert.Single(await Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(VendorId: declared.Id, Kind: SurveyKinds.HandlingMethod), Token));
        var subcontractor = new InvitedVendor(await Services.GetRequiredService<SurveyLinks>().IssueAsync(document.Key, Token), document, declared.Id);
        // What the mail job does once the invitation is sent (dispatch has its own tests).
        await Services.GetRequiredService<AssignmentStore>().TransitionAsync(document.Key, AssignmentStatus.Invited, "mail", null, DateTimeOffset.UtcNow, Token);

        using var subBrowser = NewBrowser();
        var landing = await PageAsync(subBrowser, subcontractor.Url());
        using var submitted = await PostFormAsync(subBrowser, subcontractor.Url("/document"), subcontractor.Url("/document"),
            [("dataHandled", "氏名、住所、電話番号"), ("purposes", "申込書のデータ入力"), ("storagePlace", "東京本社の施錠保管庫と社内サーバー"), ("storageCountry", "jp"),
             ("securityMeasures", "入退室管理、アクセス権限の限定、暗号化"), ("furtherSubcontracting", "なし"),
             ("officerName", "再委 次郎"), ("officerTitle", "代表取締役"), ("officerEmail", "jiro@sub.example.jp"), ("attest", "1"), ("action", "submit")],
            [("f.document", "handling-method.pdf", SurveyScenario.Pdf("handling"))]);
        var report = await Services.GetRequiredService<SubmissionVerifier>().VerifyStoredAsync(document.Key, 1, Token);
        var sealedDocument = await Services.GetRequiredService<SubmissionSealer>().ReadAsync(document.Key, 1, Token);
        var vendorView = await PageAsync(browser, vendor.Url("/subcontractors"));

        Assert.Contains("承認待ち", waiting, StringComparison.Ordinal);
        Assert.Contains(declared.Id, requests, StringComparison.Ordinal);
        Assert.Contains("取扱方法の書面", landing, StringComparison.Ordinal);
        Assert.Equal(subcontractor.Url("/receipts/1"), submitted.Headers.Location?.OriginalString);
        Assert.True(report.Valid, string.Join("; ", report.Checks.Where(check => !check.Passed).Select(check => check.Detail)));
        Assert.Equal("JP", sealedDocument.Payload.Declaration!.StorageCountry);
        Assert.Equal("handling-method.pdf", Assert.Single(sealedDocument.Payload.Evidence).FileName);
        Assert.Contains("提出済み", vendorView, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHandlingMethodDocumentSubmittedTwiceAtOnceIsSealedOnce()
    {
        var parent = await SurveyScenario.InviteAsync(Services, Token);
        var subcontractor = await SurveyScenario.InviteAsync(Services, Token, vendor: SampleVendors.Domestic("株式会社二重送信", parent.VendorId), kind: SurveyKinds.HandlingMethod);
        using var browser = NewBrowser();
        var page = await PageAsync(browser, subcontractor.Url("/document"));
        (string, string)[] fields =
        [
            ("dataHandled", "氏名"), ("purposes", "発送"), ("storagePlace", "倉庫"), ("storageCountry", "JP"), ("securityMeasures", "施錠"), ("furtherSubcontracting", "なし"),
            ("officerName", "二重 太郎"), ("officerTitle", "社長"), ("officerEmail", "taro@double.example.jp"), ("attest", "1"), ("action", "submit"),
        ];
        using (await PostPageFormAsync(browser, page, subcontractor.Url("/document"), [("action", "save")], [("f.document", "method.pdf", SurveyScenario.Pdf("method"))]))
        {
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostPageFormAsync(browser, page, subcontractor.Url("/document"), fields)));

        Assert.Equal([1], await Services.GetRequiredService<SubmissionStore>().SealedVersionsAsync(subcontractor.Assignment.Key, Token));
        Assert.All(responses, response => Assert.Equal(subcontractor.Url("/receipts/1"), response.Headers.Location?.OriginalString));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private static async Task<string?> SubmitAsync(HttpClient browser, InvitedVendor invited)
    {
        var review = await PageAsync(browser, invited.Url("/review"));
        using var response = await PostFormAsync(browser, invited.Url("/review"), invited.Url("/submit"),
            [("revision", RevisionPattern().Match(review).Groups[1].Value), ("officerName", "受任 太郎"), ("officerTitle", "取締役"), ("officerEmail", "officer@vendor.example.jp"), ("attest", "1")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/receipts/", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        return response.Headers.Location?.OriginalString;
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

    [GeneratedRegex(@"name=""__RequestVerificationToken"" value=""([^""]+)""")]
    private static partial Regex AntiforgeryPattern();

    [GeneratedRegex(@"/v/([A-Za-z0-9_-]{24})")]
    private static partial Regex MailLinkPattern();

    [GeneratedRegex(@"name=""revision"" value=""(\d+)""")]
    private static partial Regex RevisionPattern();
}
