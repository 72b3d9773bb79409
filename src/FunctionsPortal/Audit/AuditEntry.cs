namespace FunctionsPortal.Audit;

/// <summary>
/// What a capability asks the trail to record, once its change has succeeded. <paramref name="Chain"/> is the vendor
/// id (or <see cref="AuditTrail.PortalChain"/> for campaign and registry-wide actions); <paramref name="By"/> is the staff
/// principal name, "vendor:{assignment key}" or "system"; <paramref name="Before"/> and <paramref name="After"/> are
/// serialized as JSON and capped (see <see cref="AuditTrail.MaxChangeChars"/>).
/// </summary>
public sealed record AuditEntry(string Chain, string Action, string By, string? Subject = null, object? Before = null, object? After = null);
