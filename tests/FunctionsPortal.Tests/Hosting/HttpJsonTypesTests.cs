using System.Text.Json;
using System.Text.Json.Serialization;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace FunctionsPortal.Tests.Hosting;

/// <summary>
/// Every JSON request body's metadata is configured on its endpoint's first call, often a cold instance's first request:
/// each body type must come from a capability's source-generated context, not from reflection (decision 025).
/// </summary>
public sealed class HttpJsonTypesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;

    public ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void EveryJsonRequestBodyHasSourceGeneratedMetadata()
    {
        var bodies = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .SelectMany(endpoint => endpoint.Metadata.OfType<IAcceptsMetadata>())
            .Where(accepts => accepts.RequestType is not null && accepts.ContentTypes.Any(type => type.Contains("json", StringComparison.OrdinalIgnoreCase)))
            .Select(accepts => Nullable.GetUnderlyingType(accepts.RequestType!) ?? accepts.RequestType!)
            .Distinct()
            .ToList();

        Assert.True(bodies.Count >= 15, $"only {bodies.Count} JSON request bodies were found: is the endpoints' metadata read?");
        var missing = WithoutGeneratedMetadata(bodies, HttpJson());
        Assert.True(missing.Count == 0, "JSON request bodies built by reflection at start (list them in their capability's JsonSerializerContext): " + string.Join(", ", missing));
    }

    [Fact]
    public void ABodyTypeNoContextListsIsReported()
    {
        Assert.Equal([typeof(UnlistedBody).Name], WithoutGeneratedMetadata([typeof(UnlistedBody)], HttpJson()));
    }

    [Fact]
    public void GeneratedMetadataKeepsTheApiCamelCaseNames()
    {
        var json = JsonSerializer.Serialize(new FunctionsPortal.Reviews.ReassessRequest(3.5m, "re-checked"), HttpJson());

        Assert.Equal("""{"points":3.5,"reason":"re-checked"}""", json);
    }

    private JsonSerializerOptions HttpJson() => _app.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;

    private static List<string> WithoutGeneratedMetadata(IEnumerable<Type> types, JsonSerializerOptions options)
    {
        var generated = options.TypeInfoResolverChain.OfType<JsonSerializerContext>().ToList();
        Assert.NotEmpty(generated);
        return types.Where(type => !generated.Any(context => context.GetTypeInfo(type) is not null)).Select(type => type.Name).Order(StringComparer.Ordinal).ToList();
    }

    private sealed record UnlistedBody(string Text);
}
