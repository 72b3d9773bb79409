using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Hosting;

/// <summary>
/// What the run-time request delegate factory checks before an endpoint binds a form, and the generated request
/// delegates (<c>EnableRequestDelegateGenerator</c>) do not: a post without a body is refused (400), a post whose
/// antiforgery token the middleware found invalid is refused (400, the validation error inside), and one that is not a
/// form is refused (415). Without this a missing token reached the form read as an unhandled error (500). Placed last
/// before the endpoint, where the factory checked; thrown as <see cref="BadHttpRequestException"/> when
/// <see cref="RouteHandlerOptions.ThrowOnBadRequest"/> says so (Development), else answered with the bare status.
/// </summary>
public static class FormReadingChecks
{
    private static readonly string[] FormContentTypes = ["multipart/form-data", "application/x-www-form-urlencoded"];

    public static IApplicationBuilder UseFormReadingChecks(this IApplicationBuilder app) => app.Use(static (context, next) => CheckAsync(context, next));

    private static Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        if (!BindsForm(context.GetEndpoint()))
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
