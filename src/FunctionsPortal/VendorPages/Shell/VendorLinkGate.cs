using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Hosting;
using FunctionsPortal.Responses;
using FunctionsPortal.Surveys;
using FunctionsPortal.VendorPages.Actions;

namespace FunctionsPortal.VendorPages.Shell;

/// <summary>
/// Opens the vendor's session once per request, from the link's token alone, and hands it to the handler as a typed
/// <see cref="VendorSession"/> parameter; a link that does not open gets the problem page and no handler runs. A
/// middleware rather than an endpoint filter because minimal APIs bind parameters before filters run. It acts only on
/// endpoints marked <see cref="VendorPageEndpoint"/>, and sets the vendor pages' security headers on every answer.
/// </summary>
internal static class VendorLinkGate
{
    public static IApplicationBuilder UseVendorLinks(this IApplicationBuilder app) => app.Use(OpenAsync);

    private static async Task OpenAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<VendorPageEndpoint>() is not { } endpoint)
        {
            await next(context);
            return;
        }

        PageSecurityHeaders.Apply(context.Response.Headers);
        if (!endpoint.OpensLink)
        {
            await next(context);
            return;
        }

        var token = context.GetRouteValue("token") as string ?? "";
        var services = context.RequestServices;
        var guard = services.GetRequiredService<WrongTokenGuard>();
        var address = ClientAddress.Of(context, services.GetRequiredService<HostingMode>());
        if (guard.Refusal(address) is { } wait)
        {
            await RequestThrottling.Refuse(context, wait, context.GetEndpoint()?.Metadata.GetMetadata<ThrottledEndpoint>()).ExecuteAsync(context);
            return;
        }

        var (session, state) = await services.GetRequiredService<VendorSessions>().LoadAsync(
            token, (assignment, cancellationToken) => ActionEndpoints.OpensAfterExpiryAsync(assignment, services.GetRequiredService<CorrectiveActionStore>(), cancellationToken),
            context.RequestAborted);
        if (session is null)
        {
            guard.Record(address, state);
            await Problem(context, state).ExecuteAsync(context);
            return;
        }

        if (state == LinkState.Expired && !endpoint.OpensAfterExpiry)
        {
            // An accepted survey's expired link that still has open corrective actions: every page leads to them.
            context.Response.Redirect(session.Url("/actions"));
            return;
        }

        context.RequestServices.GetRequiredService<OpenedVendorLink>().Session = session;
        await next(context);
    }

    /// <summary>The vendor's 429 page: what happened and how long to wait, in the vendor's language.</summary>
    internal static IResult Busy(HttpContext context, int seconds) => PageResults.Render(
        new MessageView(
            VendorPageContext.For(context, token: null),
            "しばらくお待ちください", "Please wait a moment",
            $"短い時間に多くのアクセスがありました。{seconds}秒ほど待ってから、もう一度お試しください。",
            $"We received too many requests in a short time. Please wait about {seconds} seconds and try again.",
            BackUrl: null),
        StatusCodes.Status429TooManyRequests);

    private static IResult Problem(HttpContext context, LinkState state)
    {
        var (status, ja, en) = state switch
        {
            LinkState.Expired => (410, "このリンクの有効期限が切れています。", "This link has expired."),
            LinkState.Superseded => (410, "このリンクは新しいリンクに置き換えられました。最新のメールのリンクをご利用ください。", "This link was replaced by a newer one: please use the link in our latest e-mail."),
            LinkState.Revoked => (410, "このリンクは無効になりました。", "This link has been withdrawn."),
            _ => (404, "このリンクは見つかりません。メールのリンクをそのままコピーしたかご確認ください。", "This link was not found. Please check that the whole link from the e-mail was copied."),
        };
        // The problem page knows nothing of any vendor, so it gets no token (no toggle back into the link).
        return PageResults.Render(new LinkProblemView(VendorPageContext.For(context, token: null), ja, en), status);
    }
}

/// <summary>
/// Marks an endpoint as a vendor page; <paramref name="OpensLink"/> when its handler needs the link's session;
/// <paramref name="OpensAfterExpiry"/> when it also opens through an accepted survey's expired link while the vendor has open corrective actions.
/// </summary>
internal sealed record VendorPageEndpoint(bool OpensLink, bool OpensAfterExpiry = false);

/// <summary>The session the gate opened for this request (scoped); handlers receive it as <see cref="VendorSession"/>.</summary>
internal sealed class OpenedVendorLink
{
    public VendorSession? Session { get; set; }

    public VendorSession Require() =>
        Session ?? throw new InvalidOperationException("A VendorSession is only available on endpoints that open a vendor link (VendorPageEndpoint with OpensLink).");
}
