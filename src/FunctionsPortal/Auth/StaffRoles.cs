using System.Security.Claims;

namespace FunctionsPortal.Auth;

/// <summary>App roles of the Entra app registration (infra/scripts/create-entra-app.sh) that staff are assigned.</summary>
public static class StaffRoles
{
    public const string Admin = "Portal.Admin";
    public const string Reviewer = "Portal.Reviewer";

    /// <summary>Policy: any staff member (reads, reviews).</summary>
    public const string StaffPolicy = "Staff";

    /// <summary>Policy: administrators (creates and changes master data).</summary>
    public const string AdminPolicy = "StaffAdmin";

    /// <summary>Who a staff change is recorded as (histories, audit fields): the signed-in name, else "unknown".</summary>
    public static string NameOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.Name ?? "unknown";
    }
}
