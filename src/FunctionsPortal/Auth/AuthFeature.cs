namespace FunctionsPortal.Auth;

public static class AuthFeature
{
    /// <summary>Staff authentication (Easy Auth in Azure, a development sign-in locally) and the staff policies.</summary>
    public static IHostApplicationBuilder AddStaffAuth(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // App Service sets WEBSITE_AUTH_ENABLED=True when platform authentication is on; only then is the header genuine.
        var trustEasyAuth = string.Equals(builder.Configuration["WEBSITE_AUTH_ENABLED"], "true", StringComparison.OrdinalIgnoreCase);
        var development = builder.Environment.IsDevelopment();

        builder.Services.AddAuthentication(StaffAuthenticationHandler.SchemeName)
            .AddScheme<StaffAuthenticationOptions, StaffAuthenticationHandler>(StaffAuthenticationHandler.SchemeName, options =>
            {
                options.TrustEasyAuth = trustEasyAuth;
                options.AllowDevelopmentSignIn = development && !trustEasyAuth;
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(StaffRoles.StaffPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin, StaffRoles.Reviewer))
            .AddPolicy(StaffRoles.AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin));
        return builder;
    }
}
