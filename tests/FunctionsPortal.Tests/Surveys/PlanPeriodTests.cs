using System.Globalization;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>The plan period a survey counts against: the vendor's tier-plan period containing the day (decision 010).</summary>
public sealed class PlanPeriodTests
{
    private static VendorView View(int surveysPerYear, DateOnly? contractStart) => new(
        "v-period", "etag",
        SampleVendors.Domestic() with { Contract = contractStart is null ? null : new ContractPeriod(contractStart, null) },
        new RiskAssessment("medium", 3, [], null, "medium", new SurveyPlan { SurveysPerYear = surveysPerYear }),
        DateTimeOffset.UnixEpoch, "test");

    private static DateOnly Date(string value) => DateOnly.Parse(value, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(1, null, "2026-12-02", "2026-04-01", "2027-04-01", true)] // April (the fiscal year) when the contract gives no month
    [InlineData(1, "2019-07-15", "2026-06-30", "2025-07-01", "2026-07-01", true)] // the day before the anniversary: last year's period
    [InlineData(1, "2019-07-15", "2026-07-01", "2026-07-01", "2027-07-01", true)]
    [InlineData(2, null, "2026-12-02", "2026-10-01", "2027-04-01", false)] // the second half: an interim period
    [InlineData(4, "2020-01-10", "2026-12-31", "2026-10-01", "2027-01-01", false)]
    [InlineData(4, "2020-01-10", "2027-01-01", "2027-01-01", "2027-04-01", true)]
    public void ThePeriodStartsAtTheLatestAnniversaryStepOnOrBeforeTheDay(int surveysPerYear, string? contractStart, string day, string start, string end, bool anniversary)
    {
        var period = PlanPeriod.Containing(View(surveysPerYear, contractStart is null ? null : Date(contractStart)), Date(day), 4);

        Assert.Equal((Date(start), Date(end), anniversary), (period.Start, period.End, period.StartsAtAnniversary));
        Assert.Equal(start[..7], period.Id);
    }
}
