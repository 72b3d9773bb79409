using System.Security.Cryptography;

namespace FunctionsPortal.VendorPages.Shell;

/// <summary>
/// The vendor pages' stylesheet and script, shipped inside the assembly (no CDN, nothing to deploy beside the app)
/// and served under a content hash, so browsers cache them for a year and still never see a stale copy. They live
/// under /v/ because the Functions host forwards only its function routes (v/{*path} among them) to the app.
/// </summary>
public static class VendorAssets
{
    private static readonly Asset Stylesheet = Load("vendor.css", "text/css; charset=utf-8");
    private static readonly Asset Script = Load("vendor.js", "text/javascript; charset=utf-8");

    public static string StylesheetUrl => $"/v/assets/vendor.{Stylesheet.Hash}.css";

    public static string ScriptUrl => $"/v/assets/vendor.{Script.Hash}.js";

    internal static IEndpointRouteBuilder MapVendorAssets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(StylesheetUrl, (HttpContext context) => Serve(context, Stylesheet)).ExcludeFromDescription();
        endpoints.MapGet(ScriptUrl, (HttpContext context) => Serve(context, Script)).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Serve(HttpContext context, Asset asset)
    {
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static Asset Load(string name, string contentType)
    {
        using var stream = typeof(VendorAssets).Assembly.GetManifestResourceStream($"VendorPages.Assets.{name}")
            ?? throw new InvalidOperationException($"The asset {name} is not embedded in the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        return new Asset(content, contentType, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    }

    private sealed record Asset(byte[] Content, string ContentType, string Hash);
}
