namespace FunctionsPortal.Surveys;

/// <summary>How cycles (the assignments table's partitions) are named outside campaigns, whose cycle is their id.</summary>
public static class SurveyCycles
{
    /// <summary>A tier plan's period, by the month it starts: <c>plan-2026-04</c>.</summary>
    public static string Plan(DateOnly periodStart) => $"plan-{periodStart:yyyy-MM}";

    /// <summary>
    /// The cycles a vendor can have been asked in lately: campaigns created in the last <paramref name="months"/>
    /// months, the tier plan's periods starting in them, and the subcontractors' onboarding.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RecentAsync(CampaignStore campaigns, TimeProvider clock, int months, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(SurveyLinks.Japan).DateTime);
        var month = new DateOnly(today.Year, today.Month, 1);
        var cycles = (await campaigns.ListAsync(activeOnly: false, cancellationToken))
            .Where(campaign => campaign.CreatedAt >= now.AddMonths(-months))
            .Select(campaign => campaign.Id)
            .ToList();
        cycles.AddRange(Enumerable.Range(0, months + 1).Select(back => Plan(month.AddMonths(-back))));
        cycles.Add(SurveyPlanner.OnboardingCycle);
        return cycles;
    }
}
