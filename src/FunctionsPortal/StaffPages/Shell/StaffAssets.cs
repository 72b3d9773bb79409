using FunctionsPortal.Hosting;

namespace FunctionsPortal.StaffPages.Shell;

/// <summary>The staff pages' stylesheet, under /staff/assets/ (inside the host's staff/{*path} route).</summary>
public static class StaffAssets
{
    private static readonly EmbeddedAsset Stylesheet = EmbeddedAsset.Load(typeof(StaffAssets).Assembly, "StaffPages.Assets.staff.css", "/staff/assets");

    public static string StylesheetUrl => Stylesheet.Url;

    internal static IEndpointRouteBuilder MapStaffAssets(this IEndpointRouteBuilder endpoints)
    {
        Stylesheet.Map(endpoints);
        return endpoints;
    }
}
