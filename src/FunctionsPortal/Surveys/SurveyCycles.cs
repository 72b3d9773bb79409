namespace FunctionsPortal.Surveys;

/// <summary>How cycles (the assignments table's partitions) are named outside campaigns, whose cycle is their id.</summary>
public static class SurveyCycles
{
    /// <summary>A tier plan's period, by the month it starts: <c>plan-2026-04</c>.</summary>
    public static string Plan(DateOnly periodStart) => $"plan-{periodStart:yyyy-MM}";

    /// <summary>
    /// The planner's termination certificate surveys, by the year the contract ends: <c>termination-2027</c>, or
    /// <c>termination-undated</c> for a vendor terminating with no end date recorded. One per vendor per contract end.
    /// </summary>
    public static string Termination(DateOnly? contractEnd) => contractEnd is { } end ? $"termination-{end:yyyy}" : "termination-undated";

    /// <summary>The termination cycles a survey made around <paramref name="today"/> can be in: undated, last, this and next year's.</summary>
    public static IEnumerable<string> RecentTerminations(DateOnly today) =>
        [Termination(null), .. Enumerable.Range(-1, 3).Select(offset => Termination(new DateOnly(today.Year + offset, 1, 1)))];
}
