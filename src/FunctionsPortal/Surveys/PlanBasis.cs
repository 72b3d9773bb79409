using FunctionsPortal.Vendors;

namespace FunctionsPortal.Surveys;

/// <summary>
/// What a vendor's tier plan rests on: the tier (and so the plan), and the anniversary month its periods start from.
/// A subcontractor uses its own tier when it is known — staff set it, or its record states the number of records
/// handled — else its parent's (a declared subcontractor copies its parent's data categories but never gives a count,
/// so its computed tier rests on almost no data); its periods follow its own contract's month, else its parent's.
/// </summary>
public sealed record PlanBasis(string Tier, SurveyPlan Plan, int AnniversaryMonth, bool TierFromParent)
{
    /// <summary>Deeper than any real subcontracting chain: a guard against a loop in bad data, not a limit.</summary>
    internal const int MaxDepth = 16;

    public PlanPeriod PeriodContaining(DateOnly day) => PlanPeriod.Containing(Plan.SurveysPerYear, AnniversaryMonth, day);

    /// <summary>Whether the vendor's own computed (or overridden) tier is the one to plan with.</summary>
    public static bool HasOwnTier(VendorView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return view.Vendor.ParentId is null || view.Risk.Override is not null || view.Vendor.ApproximateRecords is not null;
    }

    public static PlanBasis For(VendorView view, IReadOnlyDictionary<string, VendorView> byId, int defaultAnniversaryMonth)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(byId);
        var chain = new List<VendorView> { view };
        while (chain.Count < MaxDepth && chain[^1].Vendor.ParentId is { } parentId && byId.TryGetValue(parentId, out var parent))
        {
            chain.Add(parent);
        }

        var tierSource = chain.FirstOrDefault(HasOwnTier) ?? view;
        var month = chain.Select(link => link.Vendor.Contract?.StartOn?.Month).FirstOrDefault(month => month is not null) ?? defaultAnniversaryMonth;
        return new PlanBasis(tierSource.Risk.EffectiveTier, tierSource.Risk.Plan, month, !ReferenceEquals(tierSource, view));
    }

    /// <summary>Every vendor's basis, by id.</summary>
    public static Dictionary<string, PlanBasis> ForAll(IReadOnlyList<VendorView> vendors, int defaultAnniversaryMonth)
    {
        ArgumentNullException.ThrowIfNull(vendors);
        var byId = vendors.ToDictionary(view => view.Id, StringComparer.Ordinal);
        return vendors.ToDictionary(view => view.Id, view => For(view, byId, defaultAnniversaryMonth), StringComparer.Ordinal);
    }
}
