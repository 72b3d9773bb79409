using System.Globalization;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Surveys;

/// <summary>
/// One of a vendor's tier-plan periods, from <see cref="Start"/> up to (not including) <see cref="End"/>, in Japan
/// dates: 12 / surveys-per-year months long, aligned on the contract anniversary month. A vendor has at most one
/// periodic (annual or interim) survey per period (decision 010). <see cref="Number"/> counts the periods of the plan
/// year from 0 at the anniversary: interim period n uses the tier's (n-1)-th interim checklist, in rotation.
/// </summary>
public readonly record struct PlanPeriod(DateOnly Start, DateOnly End, bool StartsAtAnniversary, int Number = 0)
{
    /// <summary>The period's first month, yyyy-MM: the plan cycle's suffix and the claim's partition.</summary>
    public string Id => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The period of the vendor's own plan (its own tier and contract) that contains <paramref name="day"/>.</summary>
    public static PlanPeriod Containing(VendorView view, DateOnly day, int defaultAnniversaryMonth)
    {
        ArgumentNullException.ThrowIfNull(view);
        return Containing(view.Risk.Plan.SurveysPerYear, view.Vendor.Contract?.StartOn?.Month ?? defaultAnniversaryMonth, day);
    }

    /// <summary>The period containing <paramref name="day"/> of a plan with this many surveys a year, starting in this month.</summary>
    public static PlanPeriod Containing(int surveysPerYear, int anniversaryMonth, DateOnly day)
    {
        var months = Math.Max(1, 12 / Math.Clamp(surveysPerYear, 1, 12));
        // The period starts at the latest (anniversary + k·months) on or before the day.
        var start = new DateOnly(day.Year - 1, anniversaryMonth, 1);
        var number = 0;
        while (start.AddMonths(months) <= day)
        {
            start = start.AddMonths(months);
            number = start.Month == anniversaryMonth ? 0 : number + 1;
        }

        return new PlanPeriod(start, start.AddMonths(months), start.Month == anniversaryMonth, number);
    }
}
