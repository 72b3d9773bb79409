using System.Reflection;
using System.Security.Cryptography;

namespace FunctionsPortal.Hosting;

/// <summary>
/// A stylesheet or script shipped inside the assembly (no CDN, nothing to deploy beside the app) and served under its
/// content hash, so browsers cache it for a year and still never see a stale copy. Each page area serves its assets
/// under its own route prefix, because the Functions host forwards only its function routes to the app.
/// </summary>
public sealed class EmbeddedAsset
{
    private readonly byte[] _content;
    private readonly string _contentType;

    private EmbeddedAsset(string url, byte[] content, string contentType)
    {
        Url = url;
        _content = content;
        _contentType = contentType;
    }

    /// <summary>Where the asset is served, e.g. <c>/v/assets/vendor.0a8b0a5c6cfa.css</c>.</summary>
    public string Url { get; }

    /// <summary>
    /// Loads <paramref name="resourceName"/> (a logical name from the project file, <c>Area.Assets.name.ext</c>) from
    /// <paramref name="assembly"/>, to be served under <paramref name="urlPrefix"/> (e.g. <c>/v/assets</c>).
    /// </summary>
    public static EmbeddedAsset Load(Assembly assembly, string resourceName, string urlPrefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The asset {resourceName} is not embedded in the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(content))[..12];
        var name = Path.GetFileNameWithoutExtension(resourceName.Split('.', 3)[^1]);
        var extension = Path.GetExtension(resourceName);
        var contentType = extension switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => throw new InvalidOperationException($"No content type known for asset {resourceName}."),
        };
        return new EmbeddedAsset($"{urlPrefix.TrimEnd('/')}/{name}.{hash}{extension}", content, contentType);
    }

    public IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(Url, Serve).ExcludeFromDescription();
    }

    private IResult Serve(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(_content, _contentType);
    }
}
