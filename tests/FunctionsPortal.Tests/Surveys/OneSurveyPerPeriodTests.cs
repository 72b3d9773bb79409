using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Jobs;
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
/// One periodic (annual or interim) survey per vendor per plan period (decision 010): whoever asks first — the hourly
/// tier plan or a campaign — holds the period and the other skips, saying by whom; in either order, at once, and on two
/// instances. A cancelled survey frees its period; due-diligence and termination surveys are not limited.
/// </summary>
public sealed class OneSurveyPerPeriodTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Frozen at 2 December 2026 in Japan: every survey below is created on that day, so in one period per vendor.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
    private PortalApplication _app = null!;
    private HttpClient _admin = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private SurveyPlanner Planner => _app.Services.GetRequiredService<SurveyPlanner>();

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, timeProvider: _clock);
        _admin = _app.CreateStaffClient(StaffRoles.Admin);
        await SeedAsync(_app);
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
    }

    private static async Task SeedAsync(PortalApplication app)
    {
        await app.Services.WhenStorageReadyAsync();
        await app.Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
    }

    /// <summary>Adds <paramref name="count"/> vendors named after <paramref name="prefix"/>; active ones are in the hourly tier plan.</summary>
    private static async Task<List<string>> AddVendorsAsync(PortalApplication app, string prefix, int count, string lifecycle = "active")
    {
        var store = app.Services.GetRequiredService<VendorStore>();
        var ids = Enumerable.Range(1, count).Select(i => $"{prefix}-{i:D3}").ToList();
        foreach (var id in ids)
        {
            await store.AddAsync(id, SampleVendors.Domestic($"株式会社{id}") with { LifecycleStatus = lifecycle }, "test", Token);
        }

        return ids;
    }

    private static CampaignRequest Request(string name, string kind, string checklistId, IReadOnlyList<string> vendorIds) =>
        new(name, kind, checklistId, 1, null, 21, new CampaignTarget(VendorIds: vendorIds));

    private Campaign NewCampaign(string id, string kind, string checklistId, IReadOnlyList<string> vendorIds) =>
        new(id, id, kind, checklistId, 1, Planner.Today().AddDays(21), new CampaignTarget(VendorIds: vendorIds), "test", _clock.GetUtcNow());

    private async Task<CampaignPreview> DryRunAsync(CampaignRequest request)
    {
        using var response = await _admin.PostAsJsonAsync("/api/campaigns?dryRun=true", request, Json, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CampaignPreview>(Json, Token))!;
    }

    private async Task<CampaignLaunch> LaunchAsync(CampaignRequest request)
    {
        using var response = await _admin.PostAsJsonAsync("/api/campaigns", request, Json, Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CampaignLaunch>(Json, Token))!;
    }

    private static async Task<List<Assignment>> PeriodicSurveysAsync(IServiceProvider services, IReadOnlyCollection<string> vendorIds) =>
        [.. (await services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(), Token))
            .Where(assignment => SurveyKinds.IsPeriodic(assignment.Kind) && assignment.Status != AssignmentStatus.Cancelled && vendorIds.Contains(assignment.VendorId))];

    private static async Task<List<TableEntity>> ClaimsAsync(IServiceProvider services) =>
        await services.GetRequiredService<PortalStorage>().GetTable(PeriodClaims.TableName).QueryAsync<TableEntity>(cancellationToken: Token).ToListAsync(Token);

    /// <summary>Every vendor has exactly one live periodic survey, and its period's claim names that survey.</summary>
    private static async Task AssertOnePeriodicSurveyEachAsync(IServiceProvider services, IReadOnlyCollection<string> vendorIds)
    {
        var surveys = await PeriodicSurveysAsync(services, vendorIds);
        var claims = await ClaimsAsync(services);
        Assert.All(vendorIds, id => Assert.True(surveys.Count(survey => survey.VendorId == id) == 1,
            $"{id} has {surveys.Count(survey => survey.VendorId == id)} periodic surveys: {string.Join(", ", surveys.Where(survey => survey.VendorId == id).Select(survey => survey.Key))}"));
        Assert.All(surveys, survey => Assert.Equal(survey.Key, Assert.Single(claims, claim => claim.RowKey == survey.VendorId).GetString("Owner")));
    }

    [Fact]
    public async Task ACampaignAfterThePlanSkipsTheVendorsAlreadySurveyedAndItsDryRunSaysByWhich()
    {
        var planned = await AddVendorsAsync(_app, "after-plan", 3);
        var onboarding = await AddVendorsAsync(_app, "after-plan-new", 1, lifecycle: "onboarding");
        var plan = await Planner.PlanAsync(Token);
        var request = Request("Interim technical check", SurveyKinds.Interim, "interim-technical", [.. planned, .. onboarding]);

        var preview = await DryRunAsync(request);
        var launch = await LaunchAsync(request);
        var surveys = await PeriodicSurveysAsync(_app.Services, [.. planned, .. onboarding]);

        Assert.Equal((3, 0), (plan.Created, plan.AlreadySurveyed));
        Assert.Equal((4, 3), (preview.Recipients, preview.AlreadySurveyed));
        var heldBy = preview.Vendors.Single(vendor => vendor.VendorId == planned[0]).AlreadySurveyedBy!;
        var planSurvey = surveys.Single(survey => survey.VendorId == planned[0]);
        Assert.Equal((planSurvey.Key, planSurvey.Cycle, planSurvey.Kind, planSurvey.DueOn, AssignmentStatus.Scheduled), (heldBy.Key, heldBy.Cycle, heldBy.Kind, heldBy.DueOn, heldBy.Status));
        Assert.True(heldBy.PeriodFrom <= Planner.Today() && Planner.Today() <= heldBy.PeriodTo, $"{Planner.Today()} is in {heldBy.PeriodFrom}–{heldBy.PeriodTo}");
        Assert.Null(preview.Vendors.Single(vendor => vendor.VendorId == onboarding[0]).AlreadySurveyedBy);
        Assert.Equal((4, 1, 3), (launch.Report.Due, launch.Report.Created, launch.Report.AlreadySurveyed));
        Assert.Equal(planned, launch.Skipped.Select(vendor => vendor.VendorId));
        Assert.All(launch.Skipped, vendor => Assert.StartsWith("plan-", vendor.AlreadySurveyedBy!.Cycle, StringComparison.Ordinal));
        Assert.Equal(SurveyKinds.Interim, surveys.Single(survey => survey.VendorId == onboarding[0]).Kind);
        await AssertOnePeriodicSurveyEachAsync(_app.Services, [.. planned, .. onboarding]);
    }

    [Fact]
    public async Task ThePlanAfterACampaignSkipsTheVendorsTheCampaignSurveys()
    {
        var vendors = await AddVendorsAsync(_app, "after-campaign", 3);
        var launch = await Planner.LaunchAsync(NewCampaign("c-first", SurveyKinds.Annual, "annual-lite", vendors[..2]), Token);

        var plan = await Planner.PlanAsync(Token);
        var surveys = await PeriodicSurveysAsync(_app.Services, vendors);

        Assert.Equal(2, launch.Report.Created);
        Assert.Equal((1, 2), (plan.Created, plan.AlreadySurveyed));
        Assert.Equal(["c-first", "c-first"], surveys.Where(survey => vendors[..2].Contains(survey.VendorId)).Select(survey => survey.Cycle));
        Assert.StartsWith("plan-", surveys.Single(survey => survey.VendorId == vendors[2]).Cycle, StringComparison.Ordinal);
        await AssertOnePeriodicSurveyEachAsync(_app.Services, vendors);
    }

    [Fact]
    public async Task TheTimerAndALaunchAtOnceGiveEachVendorOnePeriodicSurvey()
    {
        var invoker = _app.Services.GetRequiredService<FunctionInvoker>();
        var everyone = new List<string>();
        for (var round = 1; round <= 3; round++)
        {
            var vendors = await AddVendorsAsync(_app, $"at-once-{round}", 30);
            everyone.AddRange(vendors);
            var request = Request($"At once {round}", round % 2 == 0 ? SurveyKinds.Interim : SurveyKinds.Annual, round % 2 == 0 ? "interim-physical" : "annual-full", vendors);

            var launch = LaunchAsync(request);
            var timers = Task.WhenAll(Enumerable.Range(1, 2).Select(run => invoker.InvokeAsync(PlanSurveysJob.FunctionName, $"timer-{round}-{run}", InvocationPayload.Empty, "timer", Token)));

            await launch;
            Assert.All(await timers, result => Assert.True(result.Succeeded));
        }

        await AssertOnePeriodicSurveyEachAsync(_app.Services, everyone);
    }

    [Fact]
    public async Task PlannersAndLaunchesAtOnceOnTwoInstancesGiveEachVendorOnePeriodicSurvey()
    {
        var prefix = AzuriteFixture.NewPrefix();
        await using var first = new PortalApplication(azurite, prefix, timeProvider: _clock);
        await using var second = new PortalApplication(azurite, prefix, timeProvider: _clock);
        await SeedAsync(first);
        await second.Services.WhenStorageReadyAsync();
        var planners = new[] { first, second }.Select(app => app.Services.GetRequiredService<SurveyPlanner>()).ToList();
        var everyone = new List<string>();
        var created = 0;
        for (var round = 1; round <= 4; round++)
        {
            var vendors = await AddVendorsAsync(first, $"two-{round}", 40);
            everyone.AddRange(vendors);
            var campaign = NewCampaign($"c-two-{round}", round % 2 == 0 ? SurveyKinds.Interim : SurveyKinds.Annual, "annual-lite", vendors);

            var plans = Task.WhenAll(planners.Select(planner => planner.PlanAsync(Token)));
            var launches = Task.WhenAll(planners.Select(planner => planner.LaunchAsync(campaign, Token)));
            created += (await plans).Sum(report => report.Created) + (await launches).Sum(outcome => outcome.Report.Created);
        }

        Assert.Equal(everyone.Count, created); // every run counts only what it created: one survey each in all
        await AssertOnePeriodicSurveyEachAsync(first.Services, everyone);
    }

    [Fact]
    public async Task ACancelledSurveyFreesItsPeriodForTheNextCampaign()
    {
        var vendor = (await AddVendorsAsync(_app, "relaunch", 1)).Single();
        await Planner.PlanAsync(Token);
        var planSurvey = Assert.Single(await PeriodicSurveysAsync(_app.Services, [vendor]));
        using var cancelled = await _admin.PostAsJsonAsync($"/api/assignments/{planSurvey.Key}/cancel", new ReasonRequest("Replaced by the FY2026 campaign"), Json, Token);
        var request = Request("FY2026 annual survey", SurveyKinds.Annual, "annual-full", [vendor]);

        var preview = await DryRunAsync(request);
        var launch = await LaunchAsync(request);
        var again = await Planner.PlanAsync(Token);
        var later = await LaunchAsync(Request("Another interim check", SurveyKinds.Interim, "interim-technical", [vendor]));
        var claim = Assert.Single(await ClaimsAsync(_app.Services));

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(0, preview.AlreadySurveyed);
        Assert.Null(Assert.Single(preview.Vendors).AlreadySurveyedBy);
        Assert.Equal((1, 0), (launch.Report.Created, launch.Report.AlreadySurveyed));
        Assert.Equal((0, 0), (again.Created, again.AlreadySurveyed)); // the cancelled plan survey is not made again
        Assert.Equal(launch.Campaign.Id, Assert.Single(later.Skipped).AlreadySurveyedBy!.Cycle);
        Assert.Equal((AssignmentKey.For(launch.Campaign.Id, vendor, SurveyKinds.Annual), planSurvey.Key), (claim.GetString("Owner"), claim.GetString("Replaces")));
        await AssertOnePeriodicSurveyEachAsync(_app.Services, [vendor]);
    }

    [Fact]
    public async Task ACancelledCampaignSurveyLeavesItsPeriodToTheTierPlan()
    {
        var vendor = (await AddVendorsAsync(_app, "plan-takes-over", 1)).Single();
        var launch = await Planner.LaunchAsync(NewCampaign("c-cancelled", SurveyKinds.Annual, "annual-lite", [vendor]), Token);
        await _app.Services.GetRequiredService<AssignmentStore>().TransitionAsync(
            AssignmentKey.For("c-cancelled", vendor, SurveyKinds.Annual), AssignmentStatus.Cancelled, "staff", "Wrong checklist", _clock.GetUtcNow(), Token);

        var plan = await Planner.PlanAsync(Token);

        Assert.Equal(1, launch.Report.Created);
        Assert.Equal((1, 0), (plan.Created, plan.AlreadySurveyed));
        Assert.StartsWith("plan-", Assert.Single(await PeriodicSurveysAsync(_app.Services, [vendor])).Cycle, StringComparison.Ordinal);
        await AssertOnePeriodicSurveyEachAsync(_app.Services, [vendor]);
    }

    [Fact]
    public async Task AClaimWhoseSurveyWasNeverCreatedHoldsUntilTheNextRunCreatesIt()
    {
        var vendor = (await AddVendorsAsync(_app, "half-done", 1)).Single();
        var campaign = NewCampaign("c-stopped", SurveyKinds.Annual, "annual-lite", [vendor]);
        var view = (await _app.Services.GetRequiredService<VendorRegistry>().FindAsync(vendor, Token))!;
        var period = PlanPeriod.Containing(view, Planner.Today(), new SurveyOptions().DefaultAnniversaryMonth);
        // A launch that stopped between its two writes: the campaign and the claim are stored, the survey is not.
        await _app.Services.GetRequiredService<CampaignStore>().TryAddAsync(campaign, Token);
        var stoppedKey = AssignmentKey.For(campaign.Id, vendor, SurveyKinds.Annual);
        var stopped = new Assignment { Cycle = campaign.Id, VendorId = vendor, Kind = SurveyKinds.Annual, DueOn = campaign.DueOn };
        Assert.Empty(await _app.Services.GetRequiredService<PeriodClaims>().ClaimAsync([new PeriodClaim(period, stopped)], new Dictionary<string, Assignment>(), Token));

        var preview = await DryRunAsync(Request("Another survey", SurveyKinds.Interim, "interim-technical", [vendor]));
        var plan = await Planner.PlanAsync(Token);

        var pending = Assert.Single(preview.Vendors).AlreadySurveyedBy!;
        Assert.Equal((stoppedKey, null, null), (pending.Key, pending.DueOn, pending.Status));
        Assert.Equal((1, 1), (plan.Created, plan.AlreadySurveyed)); // the campaign's survey made, the plan's skipped
        Assert.Equal(stoppedKey, Assert.Single(await PeriodicSurveysAsync(_app.Services, [vendor])).Key);
        await AssertOnePeriodicSurveyEachAsync(_app.Services, [vendor]);
    }

    [Fact]
    public async Task DueDiligenceAndTerminationSurveysAreNotLimited()
    {
        var vendors = await AddVendorsAsync(_app, "other-kinds", 2);
        await Planner.PlanAsync(Token);
        var dueDiligence = Request("Due diligence again", SurveyKinds.DueDiligence, "due-diligence", vendors);

        var preview = await DryRunAsync(dueDiligence);
        var checkedAgain = await LaunchAsync(dueDiligence);
        var ending = await LaunchAsync(Request("Contract end", SurveyKinds.Termination, "termination-certificate", vendors));

        Assert.Equal(0, preview.AlreadySurveyed);
        Assert.Equal((2, 0), (checkedAgain.Report.Created, checkedAgain.Report.AlreadySurveyed));
        Assert.Equal((2, 0), (ending.Report.Created, ending.Report.AlreadySurveyed));
        Assert.Equal(vendors.Count, (await ClaimsAsync(_app.Services)).Count); // the plan's claims only
        await AssertOnePeriodicSurveyEachAsync(_app.Services, vendors);
    }

    [Fact]
    public async Task RunningAgainCreatesAndWritesNothing()
    {
        var vendors = await AddVendorsAsync(_app, "again", 3);
        var campaign = NewCampaign("c-again", SurveyKinds.Annual, "annual-lite", vendors);
        await Planner.PlanAsync(Token);
        await Planner.LaunchAsync(campaign, Token);
        var assignmentsBefore = await _app.Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(), Token);
        var claimsBefore = await ClaimsAsync(_app.Services);

        var plan = await Planner.PlanAsync(Token);
        var relaunch = await Planner.LaunchAsync(campaign, Token);
        var assignmentsAfter = await _app.Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(), Token);
        var claimsAfter = await ClaimsAsync(_app.Services);

        Assert.Equal(0, plan.Created);
        Assert.Equal((0, 3), (relaunch.Report.Created, relaunch.Report.AlreadySurveyed));
        Assert.Equal(vendors, relaunch.AlreadySurveyed.Select(recipient => recipient.VendorId));
        Assert.Equal(assignmentsBefore.Select(assignment => assignment.Key).Order(StringComparer.Ordinal), assignmentsAfter.Select(assignment => assignment.Key).Order(StringComparer.Ordinal));
        Assert.Equal(claimsBefore.Select(claim => (claim.RowKey, claim.ETag)), claimsAfter.Select(claim => (claim.RowKey, claim.ETag)));
    }

    /// <summary>
    /// What the claims cost in round trips, counted on the wire: creating 150 surveys in one period adds one claim query
    /// and a transaction per 100 claims; a dry run, a launch that skips everyone and the hourly re-run write no claim.
    /// </summary>
    [Fact]
    public async Task ClaimsCostAQueryPerPeriodAndATransactionPerHundredSurveysCreated()
    {
        var counter = new TableRequestCounter();
        await using var app = new PortalApplication(azurite, timeProvider: _clock, configureServices: services =>
        {
            services.RemoveAll<TableServiceClient>();
            services.AddSingleton(counter.Client(azurite.ConnectionString));
        });
        await SeedAsync(app);
        var vendors = await AddVendorsAsync(app, "cost", 150);
        var planner = app.Services.GetRequiredService<SurveyPlanner>();
        var campaign = NewCampaign("c-cost", SurveyKinds.Annual, "annual-lite", vendors);

        var plan = await CountedAsync(() => planner.PlanAsync(Token));
        var preview = await CountedAsync(() => planner.PreviewAsync(campaign, Token));
        var launch = await CountedAsync(() => planner.LaunchAsync(campaign, Token));
        var hourly = await CountedAsync(() => planner.PlanAsync(Token));

        Assert.Equal(150, plan.Result.Created);
        Assert.Equal([("query", 0), ("transaction", 100), ("transaction", 50)], plan.Claims);
        Assert.Equal([("query", 0), ("transaction", 100), ("transaction", 50)], plan.Assignments); // the plan's cycle, then the surveys
        Assert.Equal(150, preview.Result.Count(recipient => recipient.AlreadySurveyedBy is not null));
        Assert.Equal([("query", 0)], preview.Claims);
        Assert.Equal([("query", 0)], preview.Assignments); // the holders, from the plan's cycle
        Assert.Equal((0, 150), (launch.Result.Report.Created, launch.Result.Report.AlreadySurveyed));
        Assert.Equal([("query", 0)], launch.Claims);
        Assert.Equal([("query", 0), ("query", 0)], launch.Assignments); // the campaign's cycle, the holders
        Assert.Equal((0, 150), (hourly.Result.Created, hourly.Result.AlreadySurveyed));
        Assert.Equal([("query", 0)], hourly.Claims);
        Assert.Equal([("query", 0), ("query", 0)], hourly.Assignments); // the plan's and the campaign's cycles: no scan

        async Task<(T Result, List<(string, int)> Claims, List<(string, int)> Assignments)> CountedAsync<T>(Func<Task<T>> run)
        {
            counter.Reset();
            var result = await run();
            return (result, Of(PeriodClaims.TableName), Of(AssignmentStore.TableName));
        }

        List<(string, int)> Of(string table) => [.. counter.To(table).Select(request => (request.Kind, request.EntitiesWritten))];
    }
}
