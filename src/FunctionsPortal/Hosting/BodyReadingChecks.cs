using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Hosting;

/// <summary>
/// What the run-time request delegate factory checks before an endpoint reads its body, and the generated request
/// delegates (<c>EnableRequestDelegateGenerator</c>) do not check for a form, nor for a <see cref="JsonBody{T}"/>:
/// a post without a body is refused (400); a form post whose antiforgery token the middleware found invalid is refused
/// (400, the validation error inside); a body in another format is refused (415). Without this a missing token reached
/// the form read as an unhandled error (500). Placed last before the endpoint, where the factory checked; thrown as
/// <see cref="BadHttpRequestException"/> when <see cref="RouteHandlerOptions.ThrowOnBadRequest"/> says so
/// (Development), else answered with the bare status.
/// </summary>
public static class BodyReadingChecks
{
    private static readonly string[] FormContentTypes = ["multipart/form-data", "application/x-www-form-urlencoded"];

    public static IApplicationBuilder UseBodyReadingChecks(this IApplicationBuilder app) => app.Use(static (context, next) => CheckAsync(context, next));

    private static Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (JsonBodyOf(endpoint) is { } json)
        {
            if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
            {
                return json.IsOptional ? next(context) : Refuse(context, StatusCodes.Status400BadRequest, "The request has no body; this endpoint takes JSON.", null);
            }

            return context.Request.HasJsonContentType()
                ? next(context)
                : Refuse(context, StatusCodes.Status415UnsupportedMediaType, $"Expected JSON, got \"{context.Request.ContentType}\".", null);
        }

        if (!BindsForm(endpoint))
        {
            return next(context);
        }

        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
        {
            return Refuse(context, StatusCodes.Status400BadRequest, "The form was posted without a body.", null);
        }

        if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false } antiforgery)
        {
            return Refuse(context, StatusCodes.Status400BadRequest, "Invalid anti-forgery token found when reading the form.", antiforgery.Error);
        }

        return context.Request.HasFormContentType
            ? next(context)
            : Refuse(context, StatusCodes.Status415UnsupportedMediaType, $"Expected a form, got \"{context.Request.ContentType}\".", null);
    }

    /// <summary>Only endpoints that bind a form declare they accept one (the generator adds it for form parameters).</summary>
    internal static bool BindsForm(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts
        && accepts.ContentTypes.Any(type => FormContentTypes.Contains(type, StringComparer.OrdinalIgnoreCase));

    /// <summary>Endpoints that take a JSON body declare it (<see cref="JsonBody{T}"/>, <see cref="OptionalJsonBody{T}"/>).</summary>
    internal static IAcceptsMetadata? JsonBodyOf(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts
        && accepts.ContentTypes.Any(type => type.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            ? accepts
            : null;

    private static Task Refuse(HttpContext context, int statusCode, string message, Exception? inner)
    {
        if (context.RequestServices.GetRequiredService<IOptions<RouteHandlerOptions>>().Value.ThrowOnBadRequest)
        {
            throw inner is null ? new BadHttpRequestException(message, statusCode) : new BadHttpRequestException(message, statusCode, inner);
        }

        context.Response.StatusCode = statusCode;
        return Task.CompletedTask;
    }
}
