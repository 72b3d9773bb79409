using FunctionsPortal.Checklists;
using FunctionsPortal.Mail;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Tests.Mail;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>Every survey mail reads as a Japanese business letter with the configured signature; a document is asked to be submitted.</summary>
public sealed class SurveyMailComposerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Phone = "03-1234-5678";
    private const string Department = "総務部 委託先管理課";
    private static readonly Uri Portal = new("https://portal.our-company.example.jp");
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, settings: new Dictionary<string, string?>
        {
            ["Mail:Signature:Phone"] = Phone,
            ["Mail:Signature:DepartmentJa"] = Department,
            ["Surveys:PortalBaseUrl"] = Portal.ToString(),
        });
        await _app.Services.WhenStorageReadyAsync();
        await _app.Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
    }

    private SurveyMailComposer Composer => _app.Services.GetServices<IMailComposer>().OfType<SurveyMailComposer>().Single();

    private Task<OutgoingMail?> ComposeAsync(InvitedVendor vendor, string kind, string purpose) =>
        Composer.ComposeAsync(new MailRequest(vendor.Assignment.Key, kind, purpose, "officer@vendor.example.jp"), Token);

    [Theory]
    [InlineData(SurveyMailComposer.InvitationPurpose, "invitation")]
    [InlineData(SurveyMailComposer.ReminderPurpose, "reminder-7")]
    [InlineData(SurveyMailComposer.OverdueVendorPurpose, "overdue-vendor")]
    [InlineData(SurveyMailComposer.ChangesRequestedPurpose, "changes-1")]
    public async Task EachMailToTheVendorIsABusinessLetterWithTheSignature(string purpose, string kind)
    {
        var vendor = await SurveyScenario.InviteAsync(_app.Services, Token);

        var letter = ComposedLetter.Parse(await ComposeAsync(vendor, kind, purpose));

        letter.AssertBusinessLetter(LetterAudience.Vendor, "株式会社テスト委託先", "受任 太郎", vendor.Assignment.DueOn, Portal, Phone);
        Assert.StartsWith($"{Portal}v/", letter.Links[0], StringComparison.Ordinal);
        Assert.Contains($"当社 {Department}です。", letter.Ja[1], StringComparison.Ordinal);
        Assert.StartsWith($"当社　{Department}", letter.Ja[^1].Split('\n')[1], StringComparison.Ordinal);
        Assert.Contains(letter.Ja, block => block.Contains("ご回答", StringComparison.Ordinal) || block.Contains("ご提出", StringComparison.Ordinal));
        Assert.Equal("株式会社テスト委託先", letter.Mail.To.Organisation);
    }

    [Fact]
    public async Task TheOwnersOverdueNoticeIsAnInternalLetterLinkingToTheStaffPage()
    {
        var vendor = await SurveyScenario.InviteAsync(_app.Services, Token);

        var letter = ComposedLetter.Parse(await ComposeAsync(vendor, "overdue-owner", SurveyMailComposer.OverdueOwnerPurpose));

        letter.AssertBusinessLetter(LetterAudience.Staff, null, "社内 花子", vendor.Assignment.DueOn, Portal, Phone);
        Assert.Equal("owner@our-company.example.jp", letter.Mail.To.Address);
        Assert.StartsWith($"{Portal}staff/assignments/", Assert.Single(letter.Links.Distinct()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASubcontractorIsAskedToSubmitTheDocumentAndToldWhoDeclaredIt()
    {
        var registry = _app.Services.GetRequiredService<VendorRegistry>();
        var parent = await registry.CreateAsync(SampleVendors.Domestic("株式会社元請テスト"), "test", Token, "p" + Guid.NewGuid().ToString("N")[..10]);
        var vendor = await SurveyScenario.InviteAsync(_app.Services, Token, vendor: SampleVendors.Domestic("株式会社再委託テスト", parent.Id), kind: SurveyKinds.HandlingMethod);

        var invitation = ComposedLetter.Parse(await ComposeAsync(vendor, "invitation", SurveyMailComposer.InvitationPurpose));
        var reminder = ComposedLetter.Parse(await ComposeAsync(vendor, "reminder-7", SurveyMailComposer.ReminderPurpose));

        invitation.AssertBusinessLetter(LetterAudience.Vendor, "株式会社再委託テスト", "受任 太郎", vendor.Assignment.DueOn, Portal, Phone);
        reminder.AssertBusinessLetter(LetterAudience.Vendor, "株式会社再委託テスト", "受任 太郎", vendor.Assignment.DueOn, Portal, Phone);
        Assert.StartsWith("【ご提出のお願い】", invitation.Mail.Subject, StringComparison.Ordinal);
        Assert.Contains(invitation.Ja, block => block.Contains("株式会社元請テスト様より", StringComparison.Ordinal) && block.Contains("をご提出ください", StringComparison.Ordinal));
        Assert.DoesNotContain(invitation.Ja.Concat(reminder.Ja), block => block.Contains("ご回答", StringComparison.Ordinal));
        Assert.StartsWith("■提出期限：", invitation.JaBlock("■提出期限"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheOfficersNameTheLetterAddressesTheCompanysContact()
    {
        var vendor = await SurveyScenario.InviteAsync(_app.Services, Token);
        await _app.Services.GetRequiredService<AssignmentStore>().UpdateAsync(vendor.Assignment.Key, current => current with { RecipientName = null }, Token);

        var letter = ComposedLetter.Parse(await ComposeAsync(vendor, "invitation", SurveyMailComposer.InvitationPurpose));

        letter.AssertBusinessLetter(LetterAudience.Vendor, "株式会社テスト委託先", null, vendor.Assignment.DueOn, Portal, Phone);
    }

    [Fact]
    public void AJapaneseDateCarriesItsWeekday()
    {
        Assert.Equal("2026年12月25日（金）", BusinessLetter.JapaneseDate(new DateOnly(2026, 12, 25)));
        Assert.Equal("2027年1月3日（日）", BusinessLetter.JapaneseDate(new DateOnly(2027, 1, 3)));
        Assert.Equal("Friday, 25 December 2026", BusinessLetter.EnglishDate(new DateOnly(2026, 12, 25)));
    }

    [Fact]
    public void ASignatureWithoutAPhoneNumberRefusesToStart()
    {
        var error = StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Mail:Signature:Phone"] = "call us" }));

        Assert.Contains("Mail:Signature:Phone", error, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
