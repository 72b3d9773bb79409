using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.StaffPages.Shell;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.StaffPages.SignIn;

/// <summary>
/// Development only (never mapped elsewhere, and the cookie is ignored elsewhere): a browser picks a name and a role
/// and is signed in by the <see cref="StaffAuthenticationHandler.DevelopmentCookie"/>, as scripts are by the header.
/// </summary>
internal static class DevelopmentSignIn
{
    public const string Path = "/staff/dev-sign-in";
    public const string SignOutPath = "/staff/dev-sign-out";

    public static RouteGroupBuilder MapDevelopmentSignIn(this RouteGroupBuilder staff)
    {
        staff.MapGet("/dev-sign-in", Show).AllowAnonymous();
        staff.MapPost("/dev-sign-in", SignIn).AllowAnonymous().WithMetadata(new ThrottledEndpoint(ThrottleKind.SignIn));
        staff.MapGet("/dev-sign-out", SignOut).AllowAnonymous();
        return staff;
    }

    internal static IResult Show(StaffPageContext page, string? returnUrl = null) =>
        PageResults.Render(new DevSignInView(page, Home(returnUrl)));

    internal static IResult SignIn([AsParameters] DevSignInForm form, HttpContext context)
    {
        var name = (form.Name ?? "").Trim();
        var role = form.Role == StaffRoles.Admin ? StaffRoles.Admin : StaffRoles.Reviewer;
        if (name.Length == 0 || name.Contains(';', StringComparison.Ordinal) || name.Length > 200)
        {
            return TypedResults.Redirect($"{Path}?returnUrl={Uri.EscapeDataString(Home(form.ReturnUrl))}");
        }

        context.Response.Cookies.Append(StaffAuthenticationHandler.DevelopmentCookie, $"{name}; {role}", new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
        });
        return TypedResults.Redirect(Home(form.ReturnUrl));
    }

    internal static IResult SignOut(HttpContext context)
    {
        context.Response.Cookies.Delete(StaffAuthenticationHandler.DevelopmentCookie, new CookieOptions { Path = "/" });
        return TypedResults.Redirect(Path);
    }

    /// <summary>Back into the staff pages only: never an open redirect.</summary>
    private static string Home(string? returnUrl) => PageLanguage.SafeReturn(returnUrl, "/staff");
}

public sealed record DevSignInForm
{
    [FromForm]
    public string? Name { get; init; }

    [FromForm]
    public string? Role { get; init; }

    [FromForm]
    public string? ReturnUrl { get; init; }
}

public sealed record DevSignInView(StaffPageContext Page, string ReturnUrl) : IStaffPageView<DevSignInPage>;
