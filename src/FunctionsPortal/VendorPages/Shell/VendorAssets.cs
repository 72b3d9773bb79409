using FunctionsPortal.Hosting;

namespace FunctionsPortal.VendorPages.Shell;

/// <summary>The vendor pages' stylesheet and script, under /v/assets/ (inside the host's v/{*path} route).</summary>
public static class VendorAssets
{
    private static readonly EmbeddedAsset Stylesheet = EmbeddedAsset.Load(typeof(VendorAssets).Assembly, "VendorPages.Assets.vendor.css", "/v/assets");
    private static readonly EmbeddedAsset Script = EmbeddedAsset.Load(typeof(VendorAssets).Assembly, "VendorPages.Assets.vendor.js", "/v/assets");

    public static string StylesheetUrl => Stylesheet.Url;

    public static string ScriptUrl => Script.Url;

    internal static IEndpointRouteBuilder MapVendorAssets(this IEndpointRouteBuilder endpoints)
    {
        Stylesheet.Map(endpoints);
        Script.Map(endpoints);
        return endpoints;
    }
}
