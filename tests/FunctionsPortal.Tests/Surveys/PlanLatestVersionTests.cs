using FunctionsPortal.Checklists;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static FunctionsPortal.Tests.Surveys.PlanningKit;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>The tier plan asks the latest version of its checklist held in the library; surveys already created and campaigns keep theirs.</summary>
public sealed class PlanLatestVersionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(JapanDay(2026, 12, 2));
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static DateTimeOffset JapanDay(int year, int month, int day) => JapanMidnight(year, month, day).AddHours(10);

    public async ValueTask InitializeAsync() => _app = await StartAsync(azurite, _clock);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TheLibraryNamesTheHighestVersionHeldAndNoneForAnUnknownChecklist()
    {
        var library = _app.Services.GetRequiredService<ChecklistLibrary>();
        var seeded = await LatestVersionAsync(_app, "interim-technical");
        await ImportAsync(_app, "interim-technical", seeded + 10);
        await ImportAsync(_app, "interim-technical", seeded + 2);

        var latest = await library.LatestAsync("interim-technical", Token);

        Assert.Equal((seeded + 10, "interim"), (latest!.Version, latest.Kind));
        Assert.Null(await library.LatestAsync("no-such-checklist", Token));
    }

    [Fact]
    public async Task ThePlanUsesTheLatestVersionAndASurveyAlreadyCreatedKeepsItsOwn()
    {
        await AddAsync(_app, "latest-low", LowTier("株式会社最新版", "latest@vendor.example.jp"));
        var first = await LatestVersionAsync(_app, "annual-lite");
        await PlanAsync(_app);
        await ImportAsync(_app, "annual-lite", first + 1);

        var samePeriod = await PlanAsync(_app);
        _clock.SetUtcNow(JapanMidnight(2027, 4, 1));
        var nextPeriod = await PlanAsync(_app);
        var surveys = await SurveysOfAsync(_app, "latest-low");

        Assert.Equal((0, 1), (samePeriod.Created, nextPeriod.Created));
        Assert.Equal([("plan-2026-04", "annual-lite", first), ("plan-2027-04", "annual-lite", first + 1)],
            surveys.Select(survey => (survey.Cycle, survey.ChecklistId!, survey.ChecklistVersion!.Value)));
        Assert.True((await _app.Services.GetRequiredService<ChecklistLibrary>().InfoAsync("annual-lite", first + 1, Token))!.Used);
    }

    [Fact]
    public async Task ACampaignKeepsTheVersionItPins()
    {
        await AddAsync(_app, "pinned", LowTier("株式会社指定版", "pinned@vendor.example.jp"));
        var pinned = await LatestVersionAsync(_app, "annual-full");
        await ImportAsync(_app, "annual-full", pinned + 1);
        var planner = _app.Services.GetRequiredService<SurveyPlanner>();
        var campaign = new Campaign("c-pinned", "指定版", SurveyKinds.Annual, "annual-full", pinned, planner.Today().AddDays(30), new CampaignTarget(VendorIds: ["pinned"]), "test", _clock.GetUtcNow());

        await planner.LaunchAsync(campaign, Token);

        var survey = Assert.Single(await SurveysOfAsync(_app, "pinned"));
        Assert.Equal(("c-pinned", "annual-full", pinned), (survey.Cycle, survey.ChecklistId!, survey.ChecklistVersion!.Value));
    }
}
