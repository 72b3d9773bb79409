using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using FunctionsPortal.Auth;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;

namespace FunctionsPortal.Tests.Auth;

public sealed class StaffAuthenticationTests(AzuriteFixture azurite)
{
    private static string Principal(string name, params string[] roles) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        claims = new[]
        {
            new { typ = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", val = name },
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = "6c3d3b40-1111-2222-3333-444455556666" },
        }.Concat(roles.Select(role => new { typ = "roles", val = role })).ToArray(),
    })));

    [Fact]
    public void EasyAuthHeaderBecomesANamedIdentityWithItsRoles()
    {
        var identity = EasyAuthPrincipal.Decode(Principal("reviewer@contoso.example", StaffRoles.Reviewer), "Staff");

        Assert.NotNull(identity);
        Assert.Equal("reviewer@contoso.example", identity.Name);
        Assert.True(new ClaimsPrincipal(identity).IsInRole(StaffRoles.Reviewer));
        Assert.Equal("6c3d3b40-1111-2222-3333-444455556666", identity.FindFirst(EasyAuthPrincipal.ObjectIdClaim)?.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("%%%not-base64")]
    [InlineData("e30=")] // {} — no claims
    public void MalformedHeadersAreNoIdentity(string header) => Assert.Null(EasyAuthPrincipal.Decode(header, "Staff"));

    [Fact]
    public async Task WhenPlatformAuthenticationIsOnTheEasyAuthPrincipalIsTrustedAndTheDevelopmentSignInIsNot()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["WEBSITE_AUTH_ENABLED"] = "True" });
        using var client = app.CreateClient();

        using var withPrincipal = new HttpRequestMessage(HttpMethod.Get, "/api/risk-rules");
        withPrincipal.Headers.Add(EasyAuthPrincipal.Header, Principal("reviewer@contoso.example", StaffRoles.Reviewer));
        using var allowed = await client.SendAsync(withPrincipal, cancellationToken);
        using var withoutRole = new HttpRequestMessage(HttpMethod.Get, "/api/risk-rules");
        withoutRole.Headers.Add(EasyAuthPrincipal.Header, Principal("someone@contoso.example"));
        using var forbidden = await client.SendAsync(withoutRole, cancellationToken);
        using var developmentHeader = new HttpRequestMessage(HttpMethod.Get, "/api/risk-rules");
        developmentHeader.Headers.Add(StaffAuthenticationHandler.DevelopmentHeader, "me@example.com; Portal.Admin");
        using var ignored = await client.SendAsync(developmentHeader, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, ignored.StatusCode);
    }

    [Fact]
    public async Task WithoutPlatformAuthenticationAForgedEasyAuthHeaderIsIgnored()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = new PortalApplication(azurite);
        using var client = app.CreateClient();
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/risk-rules");
        forged.Headers.Add(EasyAuthPrincipal.Header, Principal("attacker@evil.example", StaffRoles.Admin));

        using var response = await client.SendAsync(forged, cancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OutsideDevelopmentTheDevelopmentSignInDoesNotExist()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // Outside Development the app runs only with a vault (never read here: the request is refused first).
        await using var app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Secrets:VaultUri"] = "https://kv-test.vault.azure.net/" });
        using var client = app.WithWebHostBuilder(builder => builder.UseEnvironment("Production")).CreateClient();
        client.DefaultRequestHeaders.Add(StaffAuthenticationHandler.DevelopmentHeader, "me@example.com; Portal.Admin");

        using var response = await client.GetAsync("/api/risk-rules", cancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
