using System.Globalization;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.Dashboards;

/// <summary>
/// A cycle that has a summary, as the catalog lists it: its family (what it is comparable with), when it starts, its
/// names. Written once, when the cycle's first bucket is.
/// </summary>
public sealed record CycleInfo(string Id, string Family, DateOnly Start, DateTimeOffset FirstSeen, string NameJa, string NameEn)
{
    public const string PlanFamily = "plan";
    public const string OnboardingFamily = "onboarding";
    public const string OtherFamily = "other";

    public static string CampaignFamily(string kind) => $"campaign:{kind}";

    /// <summary>A tier plan's period, by name (<c>plan-2026-04</c>); null for any other cycle.</summary>
    public static DateOnly? PlanStart(string cycle) =>
        cycle.StartsWith("plan-", StringComparison.Ordinal) && DateOnly.TryParseExact(cycle[5..] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            ? start
            : null;

    public static CycleInfo For(string cycle, Campaign? campaign, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var today = DateOnly.FromDateTime(now.ToOffset(SurveyLinks.Japan).DateTime);
        if (PlanStart(cycle) is { } start)
        {
            return new CycleInfo(cycle, PlanFamily, start, now, $"年間計画 {start:yyyy年M月}期", $"Plan period from {start.ToString("MMM yyyy", CultureInfo.InvariantCulture)}");
        }

        if (campaign is not null)
        {
            return new CycleInfo(cycle, CampaignFamily(campaign.Kind), DateOnly.FromDateTime(campaign.CreatedAt.ToOffset(SurveyLinks.Japan).DateTime), campaign.CreatedAt, campaign.Name, campaign.Name);
        }

        return cycle == SurveyPlanner.OnboardingCycle
            ? new CycleInfo(cycle, OnboardingFamily, today, now, "再委託先の取扱方法の書面", "Subcontractors' handling-method documents")
            : new CycleInfo(cycle, OtherFamily, today, now, cycle, cycle);
    }

    /// <summary>
    /// The cycle this one is compared with. A plan period: the same period a year earlier (the same vendors' last annual
    /// survey, periods start at contract anniversaries), else the latest earlier plan period. A campaign: the latest
    /// earlier campaign of the same kind. Subcontractors' onboarding has none.
    /// </summary>
    public CycleInfo? PreviousIn(IReadOnlyList<CycleInfo> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (Family == OnboardingFamily)
        {
            return null;
        }

        var earlier = catalog.Where(other => other.Family == Family && other.Id != Id && Before(other, this))
            .OrderByDescending(other => other.Start).ThenByDescending(other => other.FirstSeen).ToList();
        return Family == PlanFamily ? earlier.FirstOrDefault(other => other.Start == Start.AddYears(-1)) ?? earlier.FirstOrDefault() : earlier.FirstOrDefault();
    }

    /// <summary>Newest first: by start, then by when the catalog first saw it (two campaigns launched the same day).</summary>
    public static int Newer(CycleInfo left, CycleInfo right) => Before(left, right) ? 1 : Before(right, left) ? -1 : 0;

    private static bool Before(CycleInfo left, CycleInfo right) => left.Start < right.Start || (left.Start == right.Start && left.FirstSeen < right.FirstSeen);
}
