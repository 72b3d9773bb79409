using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static FunctionsPortal.Tests.Surveys.PlanningKit;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>
/// Approved subcontractors are in the yearly plan, asked through their own responsible officer, with their own risk
/// tier or — when theirs rests on no record count (every declaration) — their parent's; pending, refused, matched and
/// ending ones are not, nor those under a vendor that is out of the plan.
/// </summary>
public sealed class SubcontractorPlanTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly PriorApproval Approved = new("approved", "staff@our-company.example.jp", DateTimeOffset.UnixEpoch, null);

    // 2 December 2026 in Japan; the parent's contract started in October, so its periods start in October and April.
    private readonly FakeTimeProvider _clock = new(JapanMidnight(2026, 12, 2));
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = await StartAsync(azurite, _clock);
        await AddAsync(_app, "parent", HighTier("株式会社委託元", "parent@vendor.example.jp") with { Contract = new ContractPeriod(new DateOnly(2020, 10, 1), null) });
        await AddAsync(_app, "parent-onboarding", HighTier("株式会社契約前", "onboarding@vendor.example.jp") with { LifecycleStatus = "onboarding" });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A subcontractor as a vendor declares one: the parent's data categories, no record count, its own contact, onboarding.</summary>
    private static Vendor Declared(string id, string parentId, PriorApproval? approval) => SampleVendors.Domestic($"株式会社{id}", parentId) with
    {
        ApproximateRecords = null,
        DataCategories = ["sensitive", "credit-card"],
        ResponsibleOfficer = new Person($"担当 {id}", "担当者 / Contact", $"{id}@sub.example.jp"),
        LifecycleStatus = VendorVocabulary.LifecycleOnboarding,
        PriorApproval = approval,
    };

    [Fact]
    public async Task AnApprovedSubcontractorIsPlannedWithItsParentsTierWhenItsOwnRestsOnNoRecordCount()
    {
        // Its own record computes low (personal data, no count): the parent's high tier applies.
        await AddAsync(_app, "sub-inherits", Declared("sub-inherits", "parent", Approved) with { DataCategories = ["personal"] });
        await AddAsync(_app, "sub-deeper", Declared("sub-deeper", "sub-inherits", Approved) with { DataCategories = ["personal"] });

        await PlanAsync(_app);
        _clock.SetUtcNow(JapanMidnight(2027, 4, 1));
        await PlanAsync(_app);

        foreach (var id in new[] { "sub-inherits", "sub-deeper" })
        {
            var surveys = (await SurveysOfAsync(_app, id)).Where(survey => SurveyKinds.IsPeriodic(survey.Kind)).ToList();
            Assert.Equal([("plan-2026-10", "annual-full"), ("plan-2027-04", "interim-physical")], surveys.Select(survey => (survey.Cycle, survey.ChecklistId!)));
            Assert.All(surveys, survey => Assert.Equal(($"{id}@sub.example.jp", $"担当 {id}", "high"), (survey.RecipientEmail!, survey.RecipientName!, survey.Segment!.Tier)));
        }
    }

    [Fact]
    public async Task ASubcontractorWithARecordCountIsPlannedWithItsOwnTierOnItsParentsAnniversary()
    {
        await AddAsync(_app, "sub-own", Declared("sub-own", "parent", Approved) with { DataCategories = ["personal"], ApproximateRecords = 200 });

        await PlanAsync(_app);
        _clock.SetUtcNow(JapanMidnight(2027, 4, 1));
        await PlanAsync(_app);

        var survey = Assert.Single(await SurveysOfAsync(_app, "sub-own"), survey => SurveyKinds.IsPeriodic(survey.Kind));
        Assert.Equal(("plan-2026-10", SurveyKinds.Annual, "annual-lite", "low", "sub-own@sub.example.jp"), (survey.Cycle, survey.Kind, survey.ChecklistId!, survey.Segment!.Tier, survey.RecipientEmail!));
    }

    [Fact]
    public async Task PendingRefusedMatchedEndingAndOrphanedSubcontractorsAreNotPlanned()
    {
        await AddAsync(_app, "sub-requested", Declared("sub-requested", "parent", new PriorApproval("requested", null, null, null)));
        await AddAsync(_app, "sub-unrecorded", Declared("sub-unrecorded", "parent", null));
        await AddAsync(_app, "sub-rejected", Declared("sub-rejected", "parent", new PriorApproval("rejected", "staff", DateTimeOffset.UnixEpoch, "no")));
        await AddAsync(_app, "sub-matched", Declared("sub-matched", "parent", Approved) with { Match = new RegistryMatch("parent-onboarding", "staff", DateTimeOffset.UnixEpoch) });
        await AddAsync(_app, "sub-terminated", Declared("sub-terminated", "parent", Approved) with { LifecycleStatus = "terminated" });
        await AddAsync(_app, "sub-of-onboarding", Declared("sub-of-onboarding", "parent-onboarding", Approved));
        await AddAsync(_app, "sub-under-rejected", Declared("sub-under-rejected", "sub-rejected", Approved));
        await AddAsync(_app, "sub-planned", Declared("sub-planned", "parent", Approved));

        await PlanAsync(_app);
        var surveyed = (await _app.Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(), Token))
            .Where(survey => SurveyKinds.IsPeriodic(survey.Kind)).Select(survey => survey.VendorId).Order(StringComparer.Ordinal);

        Assert.Equal(["parent", "sub-planned"], surveyed);
    }

    [Fact]
    public async Task ACampaignCountsASubcontractorsSurveyInTheSamePeriodAsThePlan()
    {
        await AddAsync(_app, "sub-campaign", Declared("sub-campaign", "parent", Approved) with { DataCategories = ["personal"] });
        await PlanAsync(_app);
        var planner = _app.Services.GetRequiredService<SurveyPlanner>();
        var campaign = new Campaign("c-subs", "再委託先点検", SurveyKinds.Interim, "interim-technical", 1, planner.Today().AddDays(21),
            new CampaignTarget(VendorIds: ["sub-campaign"], IncludeSubcontractors: true), "test", _clock.GetUtcNow());

        var launch = await planner.LaunchAsync(campaign, Token);

        Assert.Equal((0, 1), (launch.Report.Created, launch.Report.AlreadySurveyed));
        Assert.Equal("plan-2026-10", Assert.Single(launch.AlreadySurveyed).AlreadySurveyedBy!.Cycle);
    }
}
