using FunctionsPortal.Checklists;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Mail;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Tests.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.CorrectiveActions;

/// <summary>The corrective-action mails (to the vendor, and the owner's overdue notice) are business letters with a due date.</summary>
public sealed class ActionMailComposerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Phone = "06-9876-5432";
    private static readonly Uri Portal = new("https://portal.our-company.example.jp");
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, settings: new Dictionary<string, string?>
        {
            ["Mail:Signature:Phone"] = Phone,
            ["Surveys:PortalBaseUrl"] = Portal.ToString(),
        });
        await _app.Services.WhenStorageReadyAsync();
        await _app.Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
    }

    private T Composer<T>() => _app.Services.GetServices<IMailComposer>().OfType<T>().Single();

    [Fact]
    public async Task TheVendorsCorrectiveActionMailsGiveTheFirstDueDateAndTheLink()
    {
        var (vendor, open, riskReview) = await ActionScenario.AcceptedWithFindingsAsync(_app.Services, Token);
        var composer = Composer<SurveyMailComposer>();

        var announced = ComposedLetter.Parse(await composer.ComposeAsync(new MailRequest(vendor.Assignment.Key, SurveyMailComposer.CorrectiveActionsMail, SurveyMailComposer.CorrectiveActionsPurpose, "officer@vendor.example.jp"), Token));
        var reminder = ComposedLetter.Parse(await composer.ComposeAsync(new MailRequest(vendor.Assignment.Key, $"{SurveyMailComposer.ActionsReminderMailPrefix}{open.DueOn:yyyyMMdd}", SurveyMailComposer.ActionsReminderPurpose, "officer@vendor.example.jp"), Token));

        var first = open.DueOn < riskReview.DueOn ? open.DueOn : riskReview.DueOn;
        announced.AssertBusinessLetter(LetterAudience.Vendor, "株式会社テスト委託先", "受任 太郎", first, Portal, Phone);
        reminder.AssertBusinessLetter(LetterAudience.Vendor, "株式会社テスト委託先", "受任 太郎", open.DueOn, Portal, Phone);
        Assert.EndsWith("/actions", announced.Links[0], StringComparison.Ordinal);
        Assert.Contains(announced.Ja, block => block.Contains("ご提出ください", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheOwnersOverdueActionNoticeIsAnInternalLetter()
    {
        var (_, open, _) = await ActionScenario.AcceptedWithFindingsAsync(_app.Services, Token);

        var letter = ComposedLetter.Parse(await Composer<ActionMailComposer>().ComposeAsync(new MailRequest(open.Id, "overdue", ActionMailComposer.OverdueOwnerPurpose, open.Owner.Email), Token));

        letter.AssertBusinessLetter(LetterAudience.Staff, null, open.Owner.Name, open.DueOn, Portal, Phone);
        Assert.StartsWith($"{Portal}staff/actions/", letter.Links[0], StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
