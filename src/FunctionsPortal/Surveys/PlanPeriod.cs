using System.Globalization;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Surveys;

/// <summary>
/// One of a vendor's tier-plan periods, from <see cref="Start"/> up to (not including) <see cref="End"/>, in Japan
/// dates: 12 / surveys-per-year months long, aligned on the contract anniversary month. A vendor has at most one
/// periodic (annual or interim) survey per period (decision 010).
/// </summary>
public readonly record struct PlanPeriod(DateOnly Start, DateOnly End, bool StartsAtAnniversary)
{
    /// <summary>The period's first month, yyyy-MM: the plan cycle's suffix and the claim's partition.</summary>
    public string Id => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The period of the vendor's current plan that contains <paramref name="day"/>.</summary>
    public static PlanPeriod Containing(VendorView view, DateOnly day, int defaultAnniversaryMonth)
    {
        ArgumentNullException.ThrowIfNull(view);
        var months = Math.Max(1, 12 / Math.Clamp(view.Risk.Plan.SurveysPerYear, 1, 12));
        var anniversary = view.Vendor.Contract?.StartOn?.Month ?? defaultAnniversaryMonth;
        // The period starts at the latest (anniversary + k·months) on or before the day.
        var start = new DateOnly(day.Year - 1, anniversary, 1);
        while (start.AddMonths(months) <= day)
        {
            start = start.AddMonths(months);
        }

        return new PlanPeriod(start, start.AddMonths(months), start.Month == anniversary);
    }
}
