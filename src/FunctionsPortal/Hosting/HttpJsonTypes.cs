using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace FunctionsPortal.Hosting;

public static class HttpJsonTypes
{
    /// <summary>
    /// Puts a capability's source-generated JSON metadata first in the HTTP JSON options, ahead of reflection. Each
    /// request body's metadata is configured on its endpoint's first call (<see cref="JsonBody{T}"/>): generated, not
    /// built by reflection on a cold instance's first requests. Types no context lists (most results) still fall
    /// through to reflection.
    /// </summary>
    public static IServiceCollection AddHttpJsonTypes(this IServiceCollection services, IJsonTypeInfoResolver resolver) =>
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, resolver));
}

/// <summary>What every generated endpoint asks for at start (<c>object</c>, for results it writes polymorphically).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(object))]
internal sealed partial class HostingJsonContext : JsonSerializerContext;
