using FunctionsPortal.Checklists;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>An invitation whose queue message was lost is found by the MailOutboxSweep timer and sent anyway, once.</summary>
public sealed class InvitationReconcilerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedMailTransport _mail = new();
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        // Jobs are invoked by hand (the clock is fake); queue messages are delivered by invoking the queue function.
        _app = new PortalApplication(azurite, timeProvider: _clock, configureServices: services =>
        {
            services.RemoveAll<IMailTransport>();
            services.AddSingleton<IMailTransport>(_mail);
        });
        await Services.WhenStorageReadyAsync();
        await Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
        var vendors = Services.GetRequiredService<VendorStore>();
        foreach (var i in Enumerable.Range(1, 3))
        {
            await vendors.AddAsync($"lost-{i}", SampleVendors.Domestic($"株式会社紛失{i}") with { ResponsibleOfficer = new Person($"受任 {i}", "部長", $"lost{i}@vendor.example.jp") }, "test", Token);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private Azure.Storage.Queues.QueueClient Queue => Services.GetRequiredService<PortalStorage>().GetQueue(SurveyMailRequests.QueueName);

    private FunctionInvoker Invoker => Services.GetRequiredService<FunctionInvoker>();

    private async Task<string> SweepAsync()
    {
        var outcome = await Invoker.InvokeAsync(MailOutboxSweepJob.FunctionName, Guid.NewGuid().ToString(), InvocationPayload.Empty, "timer", Token);
        Assert.True(outcome.Succeeded, outcome.Error);
        return string.Join(" ", outcome.Invocation!.Logs);
    }

    private async Task<int> QueuedAsync() => (await Queue.GetPropertiesAsync(Token)).Value.ApproximateMessagesCount;

    /// <summary>Delivers every queued survey mail by invoking the queue function with each message, as the poller would.</summary>
    private async Task DrainQueueAsync()
    {
        while ((await Queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), Token)).Value is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                var payload = InvocationPayload.Parse(System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { Data = new { message = message.Body.ToString() } })));
                Assert.True((await Invoker.InvokeAsync(SendSurveyMailJob.FunctionName, message.MessageId, payload, "queue", Token)).Succeeded);
                await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, Token);
            }
        }
    }

    private async Task<Campaign> LaunchAsync()
    {
        var campaign = new Campaign("c-lost", "Lost messages", SurveyKinds.Annual, "annual-lite", 1, new DateOnly(2026, 12, 15), new CampaignTarget(VendorIds: ["lost-1", "lost-2", "lost-3"]), "test", _clock.GetUtcNow());
        await Services.GetRequiredService<SurveyPlanner>().LaunchAsync(campaign, Token);
        return campaign;
    }

    [Fact]
    public async Task DroppedQueueMessagesAreQueuedAgainAfterTheGracePeriodAndEachVendorIsMailedOnce()
    {
        var campaign = await LaunchAsync();
        await Queue.ClearMessagesAsync(Token); // the messages are lost (a crash, an expiry)

        var early = await SweepAsync();
        var queuedEarly = await QueuedAsync();
        _clock.Advance(TimeSpan.FromMinutes(6));
        var late = await SweepAsync();
        var again = await SweepAsync(); // before the queue is drained: queued twice, which the outbox makes harmless
        await DrainQueueAsync();
        var afterwards = await SweepAsync();
        var assignments = await Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(Cycle: campaign.Id), Token);

        Assert.Contains("0 missing mails requested again", early, StringComparison.Ordinal);
        Assert.Equal(0, queuedEarly);
        Assert.Contains("3 missing mails requested again", late, StringComparison.Ordinal);
        Assert.Contains("3 missing mails requested again", again, StringComparison.Ordinal);
        Assert.Contains("0 missing mails requested again", afterwards, StringComparison.Ordinal);
        Assert.Equal(3, _mail.SentMails.Count());
        Assert.Equal(3, _mail.SentMails.Select(mail => mail.To.Address).Distinct().Count());
        Assert.All(assignments, assignment => Assert.Equal(AssignmentStatus.Invited, assignment.Status));
        Assert.Contains(_app.Logs.GetSnapshot(), record => record.Message.Contains("had no outbox row after the grace period", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInvitationSentButNeverRecordedAsInvitedIsSettledNotSentAgain()
    {
        var campaign = await LaunchAsync();
        await DrainQueueAsync();
        var key = AssignmentKey.For(campaign.Id, "lost-1", SurveyKinds.Annual);
        // The process stopped after the mail left and before the assignment heard of it (as if).
        await Services.GetRequiredService<AssignmentStore>().UpdateAsync(key, current => current with { Status = AssignmentStatus.Scheduled }, Token);

        _clock.Advance(TimeSpan.FromMinutes(6));
        var log = await SweepAsync();

        Assert.Contains("0 missing mails requested again", log, StringComparison.Ordinal);
        Assert.Equal(AssignmentStatus.Invited, (await Services.GetRequiredService<AssignmentStore>().FindAsync(key, Token))!.Status);
        Assert.Equal(3, _mail.SentMails.Count());
        Assert.Equal(0, await QueuedAsync());
    }
}
