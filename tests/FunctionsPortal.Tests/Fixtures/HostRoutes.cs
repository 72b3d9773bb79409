using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FunctionsPortal.Jobs;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// The HTTP routes the Functions host forwards to the app: every <c>httpTrigger</c> in the published function.json
/// files, under host.json's <c>extensions.http.routePrefix</c>. Anything else the host answers itself (404), so a URL
/// the app hands out that is not matched here works standalone and breaks in Azure.
/// </summary>
public sealed class HostRoutes
{
    private readonly IReadOnlyList<(string Function, Regex Pattern, IReadOnlySet<string> Methods)> _routes;

    private HostRoutes(IReadOnlyList<(string Function, Regex Pattern, IReadOnlySet<string> Methods)> routes) => _routes = routes;

    /// <summary>The routes of the app as built (function.json files and host.json beside the test assembly's app copy).</summary>
    public static HostRoutes Published { get; } = Load(AppContext.BaseDirectory);

    public IEnumerable<string> Functions => _routes.Select(route => route.Function);

    public static HostRoutes Load(string appRoot)
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(appRoot, "host.json")))!;
        var prefix = ((string?)host["extensions"]?["http"]?["routePrefix"] ?? "api").Trim('/');
        var routes = FunctionCatalog.Load(appRoot).Functions
            .Where(function => function.Kind == TriggerKind.Http)
            .Select(function =>
            {
                var route = function.Trigger.GetString("route") ?? function.Name;
                var template = string.Join('/', new[] { prefix, route.Trim('/') }.Where(part => part.Length > 0));
                var methods = function.Trigger.Properties["methods"] is JsonArray list
                    ? list.Select(method => ((string?)method ?? "").ToUpperInvariant()).ToHashSet(StringComparer.Ordinal)
                    : new HashSet<string>(StringComparer.Ordinal); // none listed: every method
                return (function.Name, ToRegex(template), (IReadOnlySet<string>)methods);
            })
            .ToList();
        return new HostRoutes(routes);
    }

    /// <summary>The function whose route takes this request, or null when the host would answer 404 itself.</summary>
    public string? Match(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.TrimStart('/');
        return _routes.FirstOrDefault(route => route.Pattern.IsMatch(trimmed) && (route.Methods.Count == 0 || route.Methods.Contains(method.ToUpperInvariant()))).Function;
    }

    /// <summary>Route template to regex: literal segments, <c>{name}</c> one segment, <c>{*name}</c> the rest (possibly nothing).</summary>
    private static Regex ToRegex(string template)
    {
        var pattern = new System.Text.StringBuilder("^");
        var segments = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.StartsWith("{*", StringComparison.Ordinal) || segment.StartsWith("{**", StringComparison.Ordinal))
            {
                pattern.Append(i == 0 ? "(.*)" : "(/.*)?");
                break;
            }

            pattern.Append(i == 0 ? "" : "/").Append(segment.StartsWith('{') ? "[^/]+" : Regex.Escape(segment));
        }

        return new Regex(pattern.Append("/?$").ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}
