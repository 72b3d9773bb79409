using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace FunctionsPortal.Hosting;

/// <summary>
/// A required JSON request body, read from the request when it arrives. A plain body parameter makes the generated
/// request delegate configure the body's whole type graph (System.Text.Json metadata, and the JIT compiling it drags
/// in) while the endpoints are built, before a cold instance can answer its first request — the largest part of
/// building them (decision 025). Here the metadata is configured on the endpoint's first call. It answers as the
/// framework's binder does: <see cref="BodyReadingChecks"/> refuses a request without a body (400) or not in JSON (415)
/// before the endpoint runs; a malformed body, or <c>null</c>, is 400; a body over the limit stays 413.
/// </summary>
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "BindAsync and PopulateMetadata are found on the parameter's type by the request delegate generator.")]
public sealed partial class JsonBody<T> : IEndpointParameterMetadataProvider
    where T : class
{
    private JsonBody(T value) => Value = value;

    public T Value { get; }

    /// <summary>Called by the generated request delegate; null answers 400 (or throws, with <c>ThrowOnBadRequest</c>).</summary>
    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context) =>
        await ReadAsync(context) is (true, { } value) ? new JsonBody<T>(value) : null;

    /// <summary>Whether the body could be read as JSON (false: malformed, or the client went away), and what it held.</summary>
    internal static async ValueTask<(bool Read, T? Value)> ReadAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var json = context.RequestServices.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        try
        {
            return (true, await context.Request.ReadFromJsonAsync((JsonTypeInfo<T>)json.GetTypeInfo(typeof(T)), context.RequestAborted));
        }
        catch (Exception exception) when (exception is JsonException or IOException and not BadHttpRequestException)
        {
            // The client's mistake (or its disconnect), answered with 400 like the framework's binder, not a 500.
            var logger = context.RequestServices.GetRequiredService<ILogger<JsonBody<T>>>();
            Log.UnreadableBody(logger, exception);
            return (false, null);
        }
    }

    /// <summary>What a body parameter declares (OpenAPI, <see cref="BodyReadingChecks"/>): it takes this type as JSON.</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T)));
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "The request body could not be read as JSON of this category's type.")]
        public static partial void UnreadableBody(ILogger logger, Exception exception);
    }
}
