namespace FunctionsPortal.Tests.Safety;

/// <summary>
/// One hostile request: what it sends, and — beyond the checks every answer gets (no 5xx, no leak, the security
/// headers) — how a bypass would show (state changed, something served that must not be). <paramref name="StaffAnswer"/>
/// when the answer goes to staff, who may see every vendor's data.
/// </summary>
public sealed record HostileCase(
    string Name,
    Func<HostileWorld, CancellationToken, Task<HttpResponseMessage>> SendAsync,
    Func<HostileWorld, HttpResponseMessage, string, CancellationToken, Task<string?>>? BypassAsync = null,
    bool StaffAnswer = false)
{
    public override string ToString() => Name;
}
