using System.Text.RegularExpressions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Hosting;

/// <summary>
/// What works standalone must work behind the Functions host, which forwards only its function routes: every URL the
/// app serves to the public is under one, and a page's own links and assets come back through the host's routing.
/// </summary>
public sealed partial class HostRouteParityTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>Served standalone but never through the host's front door, each for a reason.</summary>
    private static readonly Dictionary<string, string> NotPublic = new(StringComparer.Ordinal)
    {
        ["/"] = "the host's readiness probe, sent straight to the handler's port",
        ["/outbox"] = "the local mail outbox: Development only, never under the host",
        ["/outbox/{id}"] = "the local mail outbox: Development only, never under the host",
        ["/outbox/{id}/eml"] = "the local mail outbox: Development only, never under the host",
    };

    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        _app.StartLiveServer();
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void EveryEndpointTheAppMapsIsUnderAFunctionRoute()
    {
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var unrouted = endpoints
            .Where(endpoint => !NotPublic.ContainsKey("/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/')))
            .SelectMany(endpoint => Methods(endpoint).Select(method => (method, Path: SamplePath(endpoint.RoutePattern), endpoint.RoutePattern.RawText)))
            .Where(route => HostRoutes.Published.Match(route.method, route.Path) is null)
            .Select(route => $"{route.method} {route.RawText}")
            .ToList();

        Assert.True(endpoints.Count > 20, $"only {endpoints.Count} endpoints were found: is the route table read?");
        Assert.True(unrouted.Count == 0, "Not reachable through the Functions host (no function.json route takes them): " + string.Join(", ", unrouted));
    }

    [Fact]
    public async Task AVendorsPagesAndEverythingTheyReferenceComeThroughTheHostsRouting()
    {
        var invited = await SurveyScenario.InviteAsync(_app.Services, Token);
        await using var proxy = await HostRoutingProxy.StartAsync(_app.BaseAddress, HostRoutes.Published, Token);
        using var client = new HttpClient { BaseAddress = proxy.BaseAddress };

        foreach (var page in new[] { invited.Url(), invited.Url("/review"), invited.Url("/subcontractors") })
        {
            var html = await client.GetStringAsync(page, Token);
            var urls = LocalUrls().Matches(html).Select(match => System.Net.WebUtility.HtmlDecode(match.Groups["url"].Value)).Distinct().ToList();
            Assert.Contains(urls, url => url.EndsWith(".css", StringComparison.Ordinal)); // the page was read, assets and all
            foreach (var url in urls)
            {
                using var response = await client.GetAsync(url, Token);
                Assert.DoesNotContain($"GET {url.Split('?')[0]}", proxy.Refused);
            }
        }

        Assert.Empty(proxy.Refused);
    }

    [Fact]
    public async Task TheProxyRefusesWhatTheHostWouldNotForward()
    {
        await using var proxy = await HostRoutingProxy.StartAsync(_app.BaseAddress, HostRoutes.Published, Token);
        using var client = new HttpClient { BaseAddress = proxy.BaseAddress };

        using var health = await client.GetAsync("/healthz", Token);
        using var unrouted = await client.GetAsync("/assets/anything.css", Token);
        using var invocation = await client.PostAsync("/PlanSurveys", new StringContent("{}"), Token);

        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unrouted.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, invocation.StatusCode);
        Assert.Equal(["GET /assets/anything.css", "POST /PlanSurveys"], proxy.Refused);
    }

    private static IEnumerable<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];

    /// <summary>A concrete path the pattern matches: each parameter becomes one plain segment.</summary>
    private static string SamplePath(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart => "x1",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));

    [GeneratedRegex("(?:href|src|action)=\"(?<url>/[^\"#]*)")]
    private static partial Regex LocalUrls();
}
