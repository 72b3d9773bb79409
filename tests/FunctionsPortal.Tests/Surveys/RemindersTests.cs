using FunctionsPortal.Checklists;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>Reminders before the due date (each once), overdue escalation after it, subcontractor requests after approval.</summary>
public sealed class RemindersTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedMailTransport _mail = new();
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // Jobs are invoked by hand here (the clock is fake); the queue's messages are drained by invoking the function too.
        _app = new PortalApplication(azurite, timeProvider: _clock, configureServices: services =>
        {
            services.RemoveAll<IMailTransport>();
            services.AddSingleton<IMailTransport>(_mail);
        });
        await _app.Services.WhenStorageReadyAsync();
        await _app.Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
    }

    private FunctionInvoker Invoker => _app.Services.GetRequiredService<FunctionInvoker>();

    private async Task RunAsync(string function) =>
        Assert.True((await Invoker.InvokeAsync(function, Guid.NewGuid().ToString(), InvocationPayload.Empty, "timer", Token)).Succeeded);

    private Task DrainQueueAsync() => SurveyMailDrain.DrainAsync(_app.Services, Token);

    private int Sent(string kind) => _mail.SentMails.Count(mail => mail.OutboxKey.EndsWith("/" + kind, StringComparison.Ordinal));

    [Fact]
    public async Task EachReminderGoesOnceThenTheVendorAndOurOwnerHearOfTheOverdueSurvey()
    {
        var vendors = _app.Services.GetRequiredService<VendorStore>();
        await vendors.AddAsync("remind-me", SampleVendors.Domestic("株式会社リマインド"), "test", Token);
        var planner = _app.Services.GetRequiredService<SurveyPlanner>();
        var campaign = new Campaign("c-remind", "Reminder test", SurveyKinds.Annual, "annual-lite", 1, new DateOnly(2026, 11, 30), new CampaignTarget(VendorIds: ["remind-me"]), "test", _clock.GetUtcNow());
        await planner.LaunchAsync(campaign, Token);
        await DrainQueueAsync();

        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 16, 1, 0, 0, TimeSpan.Zero)); // 14 days left in Japan
        await RunAsync(SendRemindersJob.FunctionName);
        await RunAsync(SendRemindersJob.FunctionName); // a second run the same day
        await DrainQueueAsync();
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero)); // 5 days left: the 7-day reminder
        await RunAsync(SendRemindersJob.FunctionName);
        await DrainQueueAsync();
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero)); // two days late
        await RunAsync(SendRemindersJob.FunctionName);
        await RunAsync(SendRemindersJob.FunctionName);
        await DrainQueueAsync();
        var assignment = await _app.Services.GetRequiredService<AssignmentStore>().FindAsync(AssignmentKey.For("c-remind", "remind-me", SurveyKinds.Annual), Token);

        Assert.Equal(1, Sent("invitation"));
        Assert.Equal(1, Sent("reminder-14"));
        Assert.Equal(1, Sent("reminder-7"));
        Assert.Equal(0, Sent("reminder-1")); // the 1-day reminder's day was never reached before the due date passed
        Assert.Equal(1, Sent("overdue-vendor"));
        Assert.Equal(1, Sent("overdue-owner"));
        Assert.Equal("owner@our-company.example.jp", _mail.SentMails.Single(mail => mail.OutboxKey.EndsWith("/overdue-owner", StringComparison.Ordinal)).To.Address);
        Assert.StartsWith("【リマインド】", _mail.SentMails.Single(mail => mail.OutboxKey.EndsWith("/reminder-7", StringComparison.Ordinal)).Subject, StringComparison.Ordinal);
        Assert.Equal(AssignmentStatus.Overdue, assignment!.Status);
        Assert.Equal([AssignmentStatus.Invited, AssignmentStatus.Overdue], assignment.History.Select(change => change.To));
    }

    [Fact]
    public async Task EachSubcontractorGetsItsOwnHandlingMethodRequestOnceWithoutWaitingForApproval()
    {
        var vendors = _app.Services.GetRequiredService<VendorStore>();
        await vendors.AddAsync("prime", SampleVendors.Domestic("株式会社元請") with { LifecycleStatus = "onboarding" }, "test", Token);
        await vendors.AddAsync("sub-pending", SampleVendors.Domestic("株式会社承認待ち", "prime") with { PriorApproval = new PriorApproval("requested", null, null, null), ResponsibleOfficer = new Person("再委託 一郎", "部長", "pending@sub.example.jp") }, "test", Token);
        await vendors.AddAsync("sub-approved", SampleVendors.Domestic("株式会社承認済み", "prime") with { PriorApproval = new PriorApproval("approved", "staff", _clock.GetUtcNow(), null), ResponsibleOfficer = new Person("再委託 二郎", "部長", "approved@sub.example.jp") }, "test", Token);

        await RunAsync(PlanSurveysJob.FunctionName);
        await RunAsync(PlanSurveysJob.FunctionName);
        await DrainQueueAsync();
        var requests = await _app.Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(Kind: SurveyKinds.HandlingMethod), Token);

        // By default the request goes out at declaration, so the approval decision can see the document.
        Assert.Equal(["sub-approved", "sub-pending"], requests.Select(request => request.VendorId).Order(StringComparer.Ordinal));
        Assert.All(requests, request => Assert.Equal(AssignmentStatus.Invited, request.Status));
        Assert.Single(_mail.SentMails, mail => mail.To.Address == "approved@sub.example.jp");
        Assert.Single(_mail.SentMails, mail => mail.To.Address == "pending@sub.example.jp");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
