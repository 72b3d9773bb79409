using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.StaffPages.SignIn;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace FunctionsPortal.StaffPages.Shell;

/// <summary>
/// How a staff page answers someone it cannot serve, instead of the API's ProblemDetails: not signed in → to the
/// sign-in (Entra ID through Easy Auth in Azure; the development sign-in locally), signed in without the role → a
/// page saying so (403). Everything else goes the default way.
/// </summary>
internal sealed class StaffSignIn(IWebHostEnvironment environment, IConfiguration configuration) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || context.GetEndpoint()?.Metadata.GetMetadata<StaffPageEndpoint>() is null)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        PageSecurityHeaders.Apply(context.Response.Headers);
        var back = context.Request.Path + context.Request.QueryString;
        if (authorizeResult.Challenged && SignInUrl(back) is { } signIn)
        {
            context.Response.Redirect(signIn);
            return;
        }

        var page = StaffPageContext.For(context);
        var view = authorizeResult.Challenged
            ? new StaffMessageView(page, "サインインが必要です", "Sign-in required",
                "このページは社内の担当者専用です。サインインの設定がないため表示できません。", "These pages are for our staff only, and no sign-in is configured here.")
            : new StaffMessageView(page, "権限がありません", "Not allowed",
                $"このページを開くには {StaffRoles.Reviewer} または {StaffRoles.Admin} のロールが必要です（この操作は {StaffRoles.Admin} のみの場合があります）。管理者にロールの割り当てを依頼してください。",
                $"This needs the {StaffRoles.Reviewer} or {StaffRoles.Admin} role (some actions {StaffRoles.Admin} only). Ask an administrator to assign it to you.");
        await PageResults.Render(view, authorizeResult.Challenged ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden).ExecuteAsync(context);
    }

    /// <summary>Where to sign in, or null when there is no way to sign in here (production without platform auth).</summary>
    private string? SignInUrl(string back) =>
        string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "true", StringComparison.OrdinalIgnoreCase)
            ? $"/.auth/login/aad?post_login_redirect_uri={WebUtility.UrlEncode(back)}"
            : environment.IsDevelopment() ? $"{DevelopmentSignIn.Path}?returnUrl={WebUtility.UrlEncode(back)}" : null;

    /// <summary>Sign-out: Easy Auth's endpoint in Azure, the development sign-out locally.</summary>
    public static string? SignOutUrl(HttpContext context)
    {
        var configuration = context.RequestServices.GetRequiredService<IConfiguration>();
        return string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "true", StringComparison.OrdinalIgnoreCase)
            ? "/.auth/logout?post_logout_redirect_uri=/staff"
            : context.RequestServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment() ? DevelopmentSignIn.SignOutPath : null;
    }
}

/// <summary>Marks a staff page endpoint: refusals render a page and the pages' security headers apply.</summary>
internal sealed record StaffPageEndpoint;
