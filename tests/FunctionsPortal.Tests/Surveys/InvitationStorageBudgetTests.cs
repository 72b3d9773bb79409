using FunctionsPortal.Checklists;
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

/// <summary>
/// Issue 16's budget for the dispatch path, counted (not timed): an invitation costs at most six storage round trips
/// from the campaign's launch to the settled mail — planning, the queue message (sent, received, deleted), the
/// assignment and vendor reads, the link, the outbox row's writes, the move to invited and the dashboard summary.
/// </summary>
public sealed class InvitationStorageBudgetTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>Two full batched messages (<see cref="SurveyMailRequests.BatchSize"/> each).</summary>
    private const int Vendors = 2 * SurveyMailRequests.BatchSize;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedMailTransport _mail = new();
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        // A mail service that touches no storage (Graph with its limits lifted, as the benchmark runs it); queue messages
        // are delivered by invoking the queue function, as the poller would, in this test's flow so they are counted.
        _app = new PortalApplication(azurite, timeProvider: _clock, configureServices: services =>
        {
            services.RemoveAll<IMailTransport>();
            services.AddSingleton<IMailTransport>(_mail);
        });
        await Services.WhenStorageReadyAsync();
        await Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
        var vendors = Services.GetRequiredService<VendorStore>();
        foreach (var i in Enumerable.Range(0, Vendors))
        {
            await vendors.AddAsync($"budget-{i:D3}", SampleVendors.Domestic($"株式会社予算{i:D3}") with { ResponsibleOfficer = new Person($"受任 {i}", "部長", $"budget{i:D3}@vendor.example.jp") }, "test", Token);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AnInvitationCostsAtMostSixStorageOperationsFromLaunchToSettledMail()
    {
        var campaign = new Campaign("c-budget", "Budget", SurveyKinds.Annual, "annual-lite", 1, new DateOnly(2026, 12, 15), new CampaignTarget(), "test", _clock.GetUtcNow());

        PlanReport report;
        using (var plan = StorageOperationScope.Begin())
        {
            report = (await Services.GetRequiredService<SurveyPlanner>().LaunchAsync(campaign, Token)).Report;
            using var send = StorageOperationScope.Begin();
            await SurveyMailDrain.DrainAsync(Services, Token);

            var perInvitation = (double)plan.Total / Vendors;
            var detail = $"{plan.Total} operations for {Vendors} invitations ({perInvitation:0.00} each); sending: {Describe(send)}; all: {Describe(plan)}";
            Assert.Equal(Vendors, report.Queued);
            Assert.Equal(Vendors, _mail.Delivered.Count);
            Assert.True(perInvitation <= 6, detail);

            // Sending reads no assignment, vendor or outbox row one by one (a batch is read with one query each): the one
            // point read is the checklist version's title, read once per process.
            Assert.True(send.Count(StorageOperationKind.PointRead) <= 1, detail);
            Assert.True(send.Count(StorageOperationKind.Query) <= 3 * (Vendors / SurveyMailRequests.BatchSize), detail);
        }

        var assignments = await Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(Cycle: campaign.Id), Token);
        Assert.All(assignments, assignment => Assert.Equal(AssignmentStatus.Invited, assignment.Status));
        Assert.All(assignments, assignment => Assert.NotNull(assignment.CurrentLinkHash));
        Assert.All(_mail.Delivered.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task NoTwoLinkOrOutboxRowsShareARowKeySoTheEmulatorDoesNotWalkThemAll()
    {
        // Decision 029: Azurite finds an entity through its RowKey first, so a RowKey every partition shares made each
        // write walk every invitation sent before it.
        var campaign = new Campaign("c-keys", "Keys", SurveyKinds.Annual, "annual-lite", 1, new DateOnly(2026, 12, 15), new CampaignTarget(), "test", _clock.GetUtcNow());
        await Services.GetRequiredService<SurveyPlanner>().LaunchAsync(campaign, Token);
        await SurveyMailDrain.DrainAsync(Services, Token);

        var storage = Services.GetRequiredService<PortalStorage>();
        foreach (var table in new[] { SurveyLinks.TableName, MailOutbox.TableName })
        {
            var rowKeys = await storage.GetTable(table).QueryAsync<Azure.Data.Tables.TableEntity>(select: ["PartitionKey", "RowKey"], cancellationToken: Token)
                .Select(row => row.RowKey).ToListAsync(Token);
            Assert.Equal(Vendors, rowKeys.Count);
            Assert.Equal(rowKeys.Count, rowKeys.Distinct(StringComparer.Ordinal).Count());
        }

        // The mail's kind still reads back from its row.
        var assignment = (await Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(Cycle: campaign.Id), Token))[0];
        var mails = await Services.GetRequiredService<MailOutbox>().ListAsync(assignment.Key, Token);
        Assert.Equal(InvitationReconciler.InvitationMail, Assert.Single(mails).Kind);
        Assert.Equal(MailStates.Sent, (await Services.GetRequiredService<MailOutbox>().StatusAsync(assignment.Key, InvitationReconciler.InvitationMail, Token))?.State);
    }

    private static string Describe(StorageOperationScope scope) =>
        string.Join(", ", Enum.GetValues<StorageOperationKind>().Where(kind => scope.Count(kind) > 0).Select(kind => $"{StorageOperationCounter.Name(kind)} {scope.Count(kind)}"));
}
