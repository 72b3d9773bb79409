using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace FunctionsPortal.Hosting;

/// <summary>
/// An optional JSON request body, read when the request arrives (see <see cref="JsonBody{T}"/>): a post without a
/// body binds with a null <see cref="Value"/>, as <c>EmptyBodyBehavior.Allow</c> did; one in another format is still
/// 415 and a malformed one 400.
/// </summary>
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "BindAsync and PopulateMetadata are found on the parameter's type by the request delegate generator.")]
public sealed class OptionalJsonBody<T> : IEndpointParameterMetadataProvider
    where T : class
{
    private OptionalJsonBody(T? value) => Value = value;

    public T? Value { get; }

    /// <summary>Called by the generated request delegate; null (a malformed body) answers 400.</summary>
    public static async ValueTask<OptionalJsonBody<T>?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true)
        {
            return new OptionalJsonBody<T>(null);
        }

        return await JsonBody<T>.ReadAsync(context) is (true, var value) ? new OptionalJsonBody<T>(value) : null;
    }

    /// <summary>What a body parameter declares (OpenAPI, <see cref="BodyReadingChecks"/>): it may take this type as JSON.</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T), isOptional: true));
    }
}
