using System.CodeDom.Compiler;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Hosting;

/// <summary>
/// Every endpoint the app maps runs a request delegate generated at build time: one built at run time is an expression
/// tree compiled on a cold instance's first request (decision 025). A Map call the generator cannot see (a handler held
/// in a <c>Delegate</c> variable, a form type it cannot bind) silently falls back to that.
/// </summary>
public sealed class GeneratedRequestDelegatesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>The generator marks each endpoint it built with its assembly name.</summary>
    private const string Generator = "Microsoft.AspNetCore.Http.RequestDelegateGenerator";

    /// <summary>Mapped inside the framework, whose own handlers were not generated in our build.</summary>
    private static readonly HashSet<string> MappedByTheFramework = new(StringComparer.Ordinal) { "/openapi/{documentName}.json" };

    private PortalApplication _app = null!;

    public ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void EveryEndpointTheAppMapsHasAGeneratedRequestDelegate()
    {
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var builtAtRunTime = endpoints
            .Where(endpoint => !endpoint.Metadata.OfType<GeneratedCodeAttribute>().Any(generated => generated.Tool?.StartsWith(Generator + ",", StringComparison.Ordinal) == true))
            .Select(endpoint => endpoint.RoutePattern.RawText ?? endpoint.DisplayName ?? "?")
            .Where(route => !MappedByTheFramework.Contains(route))
            .ToList();

        Assert.True(endpoints.Count > 100, $"only {endpoints.Count} endpoints were found: is the route table read?");
        Assert.True(builtAtRunTime.Count == 0, "Request delegates built at run time: " + string.Join(", ", builtAtRunTime));
    }
}
