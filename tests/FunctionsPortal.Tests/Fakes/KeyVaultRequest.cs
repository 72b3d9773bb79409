namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// One request <see cref="KeyVaultFake"/> received, as the SDK sent it (recorded before any failure the test asked for).
/// <see cref="Host"/> is the vault's own host name, since the transport only redirects the connection;
/// <see cref="Authorized"/> is false for the first, challenged request.
/// </summary>
public sealed record KeyVaultRequest(string Method, string Host, string Path, string? ApiVersion, bool Authorized);
