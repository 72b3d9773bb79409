namespace FunctionsPortal.StaffPages.Shell;

/// <summary>Which part of the console a page belongs to (the menu marks it as current).</summary>
public enum StaffSection
{
    None,
    Dashboard,
    Vendors,
    Campaigns,
    Actions,
    Incidents,
}

public sealed record StaffMessageView(StaffPageContext Page, string TitleJa, string TitleEn, string Ja, string En) : IStaffPageView<StaffMessagePage>;
