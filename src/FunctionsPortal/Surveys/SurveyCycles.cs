namespace FunctionsPortal.Surveys;

/// <summary>How cycles (the assignments table's partitions) are named outside campaigns, whose cycle is their id.</summary>
public static class SurveyCycles
{
    /// <summary>A tier plan's period, by the month it starts: <c>plan-2026-04</c>.</summary>
    public static string Plan(DateOnly periodStart) => $"plan-{periodStart:yyyy-MM}";
}
