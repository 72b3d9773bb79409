using FunctionsPortal.Checklists;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Responses;
using FunctionsPortal.Reviews;
using FunctionsPortal.Submissions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.CorrectiveActions;

/// <summary>The daily follow-up on a fake clock: the vendor is reminded once before an action is due, our owner hears once after it passed.</summary>
public sealed class FollowUpActionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 6, 1, 1, 0, 0, TimeSpan.Zero));
    private readonly ScriptedMailTransport _mail = new();
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, timeProvider: _clock, configureServices: services =>
        {
            services.RemoveAll<IMailTransport>();
            services.AddSingleton<IMailTransport>(_mail);
        });
        await Services.WhenStorageReadyAsync();
        await Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task RunAsync() =>
        Assert.True((await Services.GetRequiredService<FunctionInvoker>().InvokeAsync(FollowUpActionsJob.FunctionName, Guid.NewGuid().ToString(), InvocationPayload.Empty, "timer", Token)).Succeeded);

    private List<OutgoingMail> Mails(string kindPrefix) => _mail.SentMails.Where(mail => mail.OutboxKey.Split('/')[^1].StartsWith(kindPrefix, StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task TheVendorIsRemindedOnceBeforeTheDueDateAndTheOwnerHearsOnceAfterIt()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        await Services.GetRequiredService<DraftStore>().UpdateAsync(invited.Assignment.Key, draft => draft with
        {
            Answers = new Dictionary<string, ItemAnswer>(draft.Answers) { ["TRN-01"] = new() { Status = StatusAnswers.Partial } },
        }, Token);
        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(Services, invited, Token)).Status);
        await Services.GetRequiredService<ReviewDecisions>().AcceptAsync(invited.Assignment.Key, "reviewer@x", null, Token);
        await SurveyMailDrain.DrainAsync(Services, Token);
        var action = Assert.Single(await Services.GetRequiredService<CorrectiveActionStore>().ListForVendorAsync(invited.VendorId, Token));
        Assert.Single(Mails("corrective-actions")); // the vendor heard of its actions when the survey was accepted

        // Long before the due date (60 days): nothing.
        await RunAsync();
        await SurveyMailDrain.DrainAsync(Services, Token);
        Assert.Empty(Mails("actions-reminder-"));

        // Five days before it: one reminder, however often the job runs, with a fresh link to the actions page.
        _clock.Advance(TimeSpan.FromDays(55));
        await RunAsync();
        await RunAsync();
        await SurveyMailDrain.DrainAsync(Services, Token);
        var reminder = Assert.Single(Mails("actions-reminder-"));
        Assert.Equal(invited.Assignment.RecipientEmail, reminder.To.Address);
        Assert.Contains("/actions", reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains("是正対応", reminder.Subject, StringComparison.Ordinal);
        Assert.Empty(Mails("overdue-owner"));

        // After it: our owner hears once; the vendor is not reminded again.
        _clock.Advance(TimeSpan.FromDays(6));
        await RunAsync();
        await RunAsync();
        await SurveyMailDrain.DrainAsync(Services, Token);
        var escalation = Assert.Single(Mails("overdue-owner"));
        Assert.Equal("owner@our-company.example.jp", escalation.To.Address);
        Assert.Contains($"/staff/actions/{action.Id}", escalation.TextBody, StringComparison.Ordinal);
        Assert.Single(Mails("actions-reminder-"));
        var escalated = (await Services.GetRequiredService<CorrectiveActionStore>().FindAsync(action.Id, Token))!;
        Assert.Equal(["raised", "reminded", "escalated"], escalated.History.Select(entry => entry.Event).Where(name => !name.StartsWith("task-", StringComparison.Ordinal)));
    }
}
