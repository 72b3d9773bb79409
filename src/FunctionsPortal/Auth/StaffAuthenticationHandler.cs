using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Auth;

/// <summary>
/// Staff sign-in. In Azure the platform (Easy Auth) authenticates and passes <c>X-MS-CLIENT-PRINCIPAL</c>, which is
/// trusted only when the platform says authentication is on (<c>WEBSITE_AUTH_ENABLED</c>); anywhere else the header
/// could be forged and is ignored. In Development only, <c>X-Development-Staff: email; Role1, Role2</c> signs in a
/// pretend staff member so the API can be tried locally and tests run the real authorization pipeline; the same value
/// in the <see cref="DevelopmentCookie"/> (set by <c>/staff/dev-sign-in</c>) signs in a browser.
/// </summary>
internal sealed class StaffAuthenticationHandler(
    IOptionsMonitor<StaffAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IProblemDetailsService problemDetails) : AuthenticationHandler<StaffAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "Staff";
    public const string DevelopmentHeader = "X-Development-Staff";
    public const string DevelopmentCookie = "portal-dev-staff";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        ClaimsIdentity? identity = null;
        if (Options.TrustEasyAuth)
        {
            identity = EasyAuthPrincipal.Decode(Request.Headers[EasyAuthPrincipal.Header], SchemeName);
        }
        else if (Options.AllowDevelopmentSignIn
                 && (Request.Headers[DevelopmentHeader].FirstOrDefault() ?? Request.Cookies[DevelopmentCookie]) is { Length: > 0 } development)
        {
            identity = DevelopmentIdentity(development);
        }

        return Task.FromResult(identity is null
            ? AuthenticateResult.NoResult()
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status401Unauthorized, "Sign-in required / サインインが必要です",
            Options.TrustEasyAuth
                ? "Sign in with your organisation account at /.auth/login/aad."
                : "Staff endpoints need a signed-in staff member.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Not allowed / 権限がありません",
            $"Your account lacks the staff role this needs ({StaffRoles.Admin} or {StaffRoles.Reviewer}).");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private static ClaimsIdentity DevelopmentIdentity(string value)
    {
        var parts = value.Split(';', 2, StringSplitOptions.TrimEntries);
        var identity = new ClaimsIdentity(SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, parts[0]));
        identity.AddClaim(new Claim(EasyAuthPrincipal.ObjectIdClaim, "00000000-0000-0000-0000-00000000dev0"));
        foreach (var role in (parts.Length > 1 ? parts[1] : "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }

        return identity;
    }
}

public sealed class StaffAuthenticationOptions : AuthenticationSchemeOptions
{
    public bool TrustEasyAuth { get; set; }

    public bool AllowDevelopmentSignIn { get; set; }
}
