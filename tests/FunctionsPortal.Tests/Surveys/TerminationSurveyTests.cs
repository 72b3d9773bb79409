using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static FunctionsPortal.Tests.Surveys.PlanningKit;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>
/// A contract end — its last day passed in Japan, or the vendor set to terminating — makes the planner send the
/// termination certificate survey (latest version) on its own, once per vendor and contract end, and stop the periodic plan.
/// </summary>
public sealed class TerminationSurveyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(JapanMidnight(2026, 12, 2).AddMinutes(-1));
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await StartAsync(azurite, _clock);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<List<Assignment>> TerminationsOfAsync(string vendorId) =>
        [.. (await SurveysOfAsync(_app, vendorId)).Where(survey => survey.Kind == SurveyKinds.Termination)];

    [Fact]
    public async Task AContractWhoseLastDayHasPassedInJapanGetsOneCertificateSurveyAndNoMorePeriodicOnes()
    {
        await AddAsync(_app, "ends", LowTier("株式会社契約終了", "ends@vendor.example.jp") with { Contract = new ContractPeriod(new DateOnly(2020, 4, 1), new DateOnly(2026, 12, 1)) });

        var onTheLastDay = await PlanAsync(_app);
        _clock.SetUtcNow(JapanMidnight(2026, 12, 2));
        await PlanAsync(_app);
        await PlanAsync(_app);
        _clock.SetUtcNow(JapanMidnight(2027, 4, 1));
        await PlanAsync(_app);

        Assert.Equal(1, onTheLastDay.Created); // the period's annual survey, before the contract ended
        var termination = Assert.Single(await TerminationsOfAsync("ends"));
        Assert.Equal(
            ("termination-2026", "termination-certificate", await LatestVersionAsync(_app, "termination-certificate"), new DateOnly(2027, 1, 1), "ends@vendor.example.jp"),
            (termination.Cycle, termination.ChecklistId!, termination.ChecklistVersion!.Value, termination.DueOn, termination.RecipientEmail!));
        Assert.Equal(["plan-2026-04"], (await SurveysOfAsync(_app, "ends")).Where(survey => SurveyKinds.IsPeriodic(survey.Kind)).Select(survey => survey.Cycle));
        Assert.Contains(termination.Key, await QueuedInvitationsAsync(_app));
    }

    [Fact]
    public async Task AVendorSetToTerminatingGetsItsSurveyOnceEvenWhenItsEndDateIsRecordedLater()
    {
        await AddAsync(_app, "terminating", LowTier("株式会社解約予定", "terminating@vendor.example.jp") with { LifecycleStatus = "terminating" });

        await PlanAsync(_app);
        var store = _app.Services.GetRequiredService<VendorStore>();
        var record = (await store.FindAsync("terminating", Token))!;
        await store.UpdateAsync("terminating", record.ETag, record.Vendor with { Contract = new ContractPeriod(new DateOnly(2020, 4, 1), new DateOnly(2026, 12, 31)) }, "test", Token);
        _clock.SetUtcNow(JapanMidnight(2027, 1, 5));
        await PlanAsync(_app);

        Assert.Equal("termination-undated", Assert.Single(await TerminationsOfAsync("terminating")).Cycle);
        Assert.DoesNotContain(await SurveysOfAsync(_app, "terminating"), survey => SurveyKinds.IsPeriodic(survey.Kind));
    }

    [Fact]
    public async Task AVendorATerminationCampaignAlreadyAsksGetsNoSecondSurvey()
    {
        await AddAsync(_app, "asked", LowTier("株式会社依頼済", "asked@vendor.example.jp") with { LifecycleStatus = "terminating" });
        var planner = _app.Services.GetRequiredService<SurveyPlanner>();
        await planner.LaunchAsync(new Campaign("c-end", "契約終了", SurveyKinds.Termination, "termination-certificate", 1, planner.Today().AddDays(14),
            new CampaignTarget(VendorIds: ["asked"]), "test", _clock.GetUtcNow()), Token);

        await PlanAsync(_app);

        Assert.Equal("c-end", Assert.Single(await TerminationsOfAsync("asked")).Cycle);
    }

    [Fact]
    public async Task OnlyVendorsStillInBusinessWithUsGetOne()
    {
        var ended = new ContractPeriod(new DateOnly(2020, 4, 1), new DateOnly(2026, 3, 31));
        await AddAsync(_app, "gone", LowTier("株式会社終了済", "gone@vendor.example.jp") with { Contract = ended, LifecycleStatus = "terminated" });
        await AddAsync(_app, "never-started", LowTier("株式会社未開始", "never@vendor.example.jp") with { Contract = ended, LifecycleStatus = VendorVocabulary.LifecycleOnboarding });
        await AddAsync(_app, "parent", LowTier("株式会社委託元", "parent@vendor.example.jp"));
        var approved = new PriorApproval("approved", "staff", DateTimeOffset.UnixEpoch, null);
        await AddAsync(_app, "sub-ending", SampleVendors.Domestic("株式会社再委託終了", "parent") with
        {
            LifecycleStatus = "terminating", PriorApproval = approved, ResponsibleOfficer = new Person("担当 再委託", null, "sub@sub.example.jp"),
        });
        await AddAsync(_app, "sub-pending", SampleVendors.Domestic("株式会社再委託申請中", "parent") with { LifecycleStatus = "terminating", PriorApproval = new("requested", null, null, null) });

        await PlanAsync(_app);
        var terminations = (await _app.Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(Kind: SurveyKinds.Termination), Token));

        var only = Assert.Single(terminations);
        Assert.Equal(("sub-ending", "sub@sub.example.jp"), (only.VendorId, only.RecipientEmail!));
    }
}
