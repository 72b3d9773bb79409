using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static FunctionsPortal.Tests.Surveys.PlanningKit;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>
/// Plan by tier as the source documents do: the full checklist at the contract anniversary, the tier's themed interim
/// checklists in turn in the other periods (Japan dates), the plan validated on start and unknown checklists logged.
/// </summary>
public sealed class InterimChecklistPlanTests(AzuriteFixture azurite)
{
    private static readonly ContractPeriod FromApril = new(new DateOnly(2020, 4, 1), null);

    private static async Task<List<(string Cycle, string Kind, string Checklist)>> PlannedAsync(PortalApplication app, string vendorId) =>
        [.. (await SurveysOfAsync(app, vendorId)).Select(survey => (survey.Cycle, survey.Kind, survey.ChecklistId!))];

    [Fact]
    public async Task AHighTierVendorGetsTheFullChecklistAtTheAnniversaryAndTheThemedCheckInTheOtherHalf()
    {
        var clock = new FakeTimeProvider(JapanMidnight(2026, 10, 1).AddMinutes(-1));
        await using var app = await StartAsync(azurite, clock);
        await AddAsync(app, "high-half", HighTier("株式会社高リスク", "high@vendor.example.jp") with { Contract = FromApril });

        await PlanAsync(app);
        clock.SetUtcNow(JapanMidnight(2026, 10, 1));
        await PlanAsync(app);
        clock.SetUtcNow(JapanMidnight(2027, 4, 1));
        await PlanAsync(app);
        var planned = await PlannedAsync(app, "high-half");

        Assert.Equal(
            [("plan-2026-04", SurveyKinds.Annual, "annual-full"), ("plan-2026-10", SurveyKinds.Interim, "interim-physical"), ("plan-2027-04", SurveyKinds.Annual, "annual-full")],
            planned);
        var interim = (await SurveysOfAsync(app, "high-half"))[1];
        Assert.Equal(await LatestVersionAsync(app, "interim-physical"), interim.ChecklistVersion);
        Assert.Equal(((await SurveysOfAsync(app, "high-half")).Select(survey => survey.Key)).Order(), (await QueuedInvitationsAsync(app)).Order());
    }

    [Fact]
    public async Task FourSurveysAYearRotateThroughTheInterimChecklistsInOrder()
    {
        var clock = new FakeTimeProvider(JapanMidnight(2026, 4, 1));
        await using var app = await StartAsync(azurite, clock, new Dictionary<string, string?> { ["RiskTiers:Plans:high:SurveysPerYear"] = "4" });
        await AddAsync(app, "high-quarter", HighTier("株式会社四半期", "quarter@vendor.example.jp") with { Contract = FromApril });

        foreach (var day in new[] { JapanMidnight(2026, 4, 1), JapanMidnight(2026, 7, 1), JapanMidnight(2026, 10, 1), JapanMidnight(2027, 1, 1), JapanMidnight(2027, 4, 1) })
        {
            clock.SetUtcNow(day);
            await PlanAsync(app);
        }

        Assert.Equal(
            ["annual-full", "interim-physical", "interim-technical", "interim-physical", "annual-full"],
            (await PlannedAsync(app, "high-quarter")).Select(planned => planned.Checklist));
        Assert.Equal(
            [SurveyKinds.Annual, SurveyKinds.Interim, SurveyKinds.Interim, SurveyKinds.Interim, SurveyKinds.Annual],
            (await PlannedAsync(app, "high-quarter")).Select(planned => planned.Kind));
    }

    [Fact]
    public async Task ATierWithoutInterimChecklistsKeepsItsChecklistInEveryPeriod()
    {
        var clock = new FakeTimeProvider(JapanMidnight(2026, 4, 1));
        await using var app = await StartAsync(azurite, clock, new Dictionary<string, string?> { ["RiskTiers:Plans:medium:SurveysPerYear"] = "2" });
        // Sensitive data alone: 3 points, the medium tier.
        await AddAsync(app, "medium-half", LowTier("株式会社中リスク", "medium@vendor.example.jp") with { DataCategories = ["sensitive"], Contract = FromApril });

        await PlanAsync(app);
        clock.SetUtcNow(JapanMidnight(2026, 10, 1));
        await PlanAsync(app);

        Assert.Equal(
            [("plan-2026-04", SurveyKinds.Annual, "annual-full"), ("plan-2026-10", SurveyKinds.Interim, "annual-full")],
            await PlannedAsync(app, "medium-half"));
    }

    [Fact]
    public async Task AChecklistTheLibraryDoesNotHoldIsLoggedAndOnlyItsVendorsWait()
    {
        var clock = new FakeTimeProvider(JapanMidnight(2026, 10, 1));
        await using var app = await StartAsync(azurite, clock, new Dictionary<string, string?> { ["RiskTiers:Plans:high:InterimChecklists:0"] = "interim-offices" });
        await AddAsync(app, "waits", HighTier("株式会社待機", "waits@vendor.example.jp") with { Contract = FromApril });
        await AddAsync(app, "goes-ahead", LowTier("株式会社通常", "ahead@vendor.example.jp") with { Contract = FromApril });

        var before = await PlanAsync(app);
        var error = Assert.Single(app.Logs.GetSnapshot(), record => record.Level == LogLevel.Error && record.Message.StartsWith("Survey planning", StringComparison.Ordinal));
        await ImportAsync(app, "interim-physical", 1, asId: "interim-offices");
        var after = await PlanAsync(app);

        Assert.Equal((1, 1), (before.Created, after.Created));
        Assert.Contains("'interim-offices' named in RiskTiers:Plans is not in the checklist library: 1 surveys not planned", error.Message, StringComparison.Ordinal);
        Assert.Equal([("plan-2026-10", SurveyKinds.Interim, "interim-offices")], await PlannedAsync(app, "waits"));
        Assert.Equal([("plan-2026-04", SurveyKinds.Annual, "annual-lite")], await PlannedAsync(app, "goes-ahead"));
    }

    [Theory]
    [InlineData("RiskTiers:Plans:high:InterimChecklists:1", "annual-lite", "RiskTiers:Plans:high:InterimChecklists names 'annual-lite', a checklist of kind 'annual'")]
    [InlineData("RiskTiers:Plans:low:InterimChecklists:0", "interim-physical", "RiskTiers:Plans:low:InterimChecklists is set but SurveysPerYear is 1")]
    [InlineData("RiskTiers:Plans:medium:Checklist", "interim-technical", "RiskTiers:Plans:medium:Checklist is 'interim-technical', a checklist of kind 'interim'")]
    [InlineData("RiskTiers:Plans:high:InterimChecklists:1", "interim-physical", "RiskTiers:Plans:high:InterimChecklists names 'interim-physical' twice")]
    [InlineData("Surveys:TerminationChecklist", "due-diligence", "Surveys:TerminationChecklist is 'due-diligence', a checklist of kind 'due-diligence'")]
    public void AMisconfiguredPlanStopsTheStart(string setting, string value, string expected) =>
        Assert.Contains(expected, StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { [setting] = value })), StringComparison.Ordinal);
}
