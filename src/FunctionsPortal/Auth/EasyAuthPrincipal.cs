using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsPortal.Auth;

/// <summary>
/// Decodes App Service authentication's <c>X-MS-CLIENT-PRINCIPAL</c> header (Base64 JSON:
/// <c>{auth_typ, claims:[{typ,val}], name_typ, role_typ}</c>) into a claims identity.
/// </summary>
public static class EasyAuthPrincipal
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";
    public const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const string RoleClaimUri = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

    public static ClaimsIdentity? Decode(string? headerValue, string authenticationType)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return null;
        }

        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(Encoding.UTF8.GetString(Convert.FromBase64String(headerValue)));
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }

        if (payload?.Claims is not { Count: > 0 } claims)
        {
            return null;
        }

        var nameType = string.IsNullOrEmpty(payload.NameType) ? ClaimTypes.Name : payload.NameType;
        var roleType = string.IsNullOrEmpty(payload.RoleType) ? RoleClaimUri : payload.RoleType;
        var identity = new ClaimsIdentity(authenticationType, ClaimTypes.Name, ClaimTypes.Role);
        foreach (var claim in claims.Where(claim => claim.Type is not null && claim.Value is not null))
        {
            // Roles arrive as role_typ, "roles" or the WS role URI depending on claim mapping: normalise all three.
            if (claim.Type == roleType || claim.Type is "roles" or "role" || claim.Type == RoleClaimUri)
            {
                identity.AddClaim(new Claim(ClaimTypes.Role, claim.Value!));
            }
            else if (claim.Type == nameType)
            {
                identity.AddClaim(new Claim(ClaimTypes.Name, claim.Value!));
            }
            else if (claim.Type is "oid")
            {
                identity.AddClaim(new Claim(ObjectIdClaim, claim.Value!));
            }
            else
            {
                identity.AddClaim(new Claim(claim.Type!, claim.Value!));
            }
        }

        if (identity.Name is null && identity.FindFirst("preferred_username") is { } username)
        {
            identity.AddClaim(new Claim(ClaimTypes.Name, username.Value));
        }

        return identity;
    }

    private sealed record Payload(
        [property: JsonPropertyName("auth_typ")] string? AuthenticationType,
        [property: JsonPropertyName("claims")] List<PayloadClaim>? Claims,
        [property: JsonPropertyName("name_typ")] string? NameType,
        [property: JsonPropertyName("role_typ")] string? RoleType);

    private sealed record PayloadClaim(
        [property: JsonPropertyName("typ")] string? Type,
        [property: JsonPropertyName("val")] string? Value);
}
