using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// The subcontractor's journey: declared by the vendor, approved by staff, then sending its handling-method document,
/// sealed once.
/// </summary>
public sealed class SubcontractingPagesTests(AzuriteFixture azurite) : VendorPagesHttpTestBase(azurite)
{
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
        using var staff = App.CreateStaffClient("Portal.Reviewer");
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
}
