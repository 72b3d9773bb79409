using System.Globalization;
using System.Threading.RateLimiting;
using FunctionsPortal.Auth;
using FunctionsPortal.Settings;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Hosting;

/// <summary>
/// ASP.NET Core rate limiting for the callers who could flood us: vendor links (per client address and per link),
/// staff changes (per person) and the development sign-in (per address). Everything else — the Functions host's
/// invocations, health, assets — is never limited. One global chained limiter, so each rule is counted once per
/// request whatever endpoint it reaches.
/// </summary>
public static class RequestThrottling
{
    public static IHostApplicationBuilder AddRequestThrottling(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ThrottlingOptions>().BindConfiguration(ThrottlingOptions.SectionName).ValidateWith(new ValidateThrottlingOptions()).ValidateOnStart();
        builder.Services.AddSingleton<ThrottlingTelemetry>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<ThrottlingOptions>, HostingMode>((rateLimiter, throttling, mode) =>
        {
            var limits = throttling.Value;
            rateLimiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => ByCaller(context, limits, mode)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => ByLink(context, limits)));
            rateLimiter.OnRejected = RejectAsync;
        });
        return builder;
    }

    public static IApplicationBuilder UseRequestThrottling(this IApplicationBuilder app) => app.UseRateLimiter();

    /// <summary>The first rule: who is calling (an address on vendor pages and the sign-in, a person for staff changes).</summary>
    private static RateLimitPartition<string> ByCaller(HttpContext context, ThrottlingOptions limits, HostingMode mode)
    {
        var throttled = context.GetEndpoint()?.Metadata.GetMetadata<ThrottledEndpoint>();
        if (throttled?.Kind == ThrottleKind.VendorLink)
        {
            return Window($"vendor-address:{ClientAddress.Of(context, mode)}", limits.VendorRequestsPerAddress, limits);
        }

        if (throttled?.Kind == ThrottleKind.SignIn && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return Window($"sign-in:{ClientAddress.Of(context, mode)}", limits.SignInsPerAddress, limits);
        }

        if (IsChange(context.Request.Method) && context.User.Identity?.IsAuthenticated == true)
        {
            return Window($"staff:{StaffRoles.NameOf(context.User)}", limits.StaffWritesPerPerson, limits);
        }

        return RateLimitPartition.GetNoLimiter("none");
    }

    /// <summary>The second rule: one vendor link, however many addresses use it.</summary>
    private static RateLimitPartition<string> ByLink(HttpContext context, ThrottlingOptions limits) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ThrottledEndpoint>()?.Kind == ThrottleKind.VendorLink && context.GetRouteValue("token") is string token
            ? Window($"vendor-link:{token}", limits.VendorRequestsPerLink, limits)
            : RateLimitPartition.GetNoLimiter("none");

    private static RateLimitPartition<string> Window(string key, int permits, ThrottlingOptions limits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = limits.Window,
            QueueLimit = 0,
        });

    private static bool IsChange(string method) =>
        !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method);

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero
            ? wait
            : context.RequestServices.GetRequiredService<IOptions<ThrottlingOptions>>().Value.Window;
        var throttled = context.GetEndpoint()?.Metadata.GetMetadata<ThrottledEndpoint>();
        context.RequestServices.GetRequiredService<ThrottlingTelemetry>().Refused(throttled?.Kind.ToString() ?? "StaffWrite");
        await Refuse(context, retryAfter, throttled).ExecuteAsync(context);
    }

    /// <summary>429 with <c>Retry-After</c> in whole seconds: the endpoint's own page when it has one (the vendor's, in the vendor's language), otherwise ProblemDetails.</summary>
    public static IResult Refuse(HttpContext context, TimeSpan retryAfter, ThrottledEndpoint? throttled)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return throttled?.Page?.Invoke(context, seconds) ?? TypedResults.Problem(
            title: "Too many requests",
            detail: $"Please wait {seconds} seconds before trying again.",
            statusCode: StatusCodes.Status429TooManyRequests);
    }
}

public enum ThrottleKind
{
    VendorLink,
    SignIn,
}

/// <summary>
/// Marks an endpoint for <see cref="RequestThrottling"/>; <paramref name="Page"/> answers a refused request (given the
/// seconds to wait) when the endpoint's users should see a page rather than ProblemDetails.
/// </summary>
public sealed record ThrottledEndpoint(ThrottleKind Kind, Func<HttpContext, int, IResult>? Page = null);
