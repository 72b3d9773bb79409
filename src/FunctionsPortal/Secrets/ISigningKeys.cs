namespace FunctionsPortal.Secrets;

/// <summary>
/// The keys that sign vendor links and seal submissions. The newest version signs; every version that is still
/// enabled keeps verifying, so rotating (adding a version) never breaks links already sent.
/// </summary>
public interface ISigningKeys
{
    Task<SigningKeySet> GetAsync(CancellationToken cancellationToken);
}

/// <param name="Current">The key new signatures use.</param>
/// <param name="All">Every usable key by version (including <paramref name="Current"/>), for verifying.</param>
public sealed record SigningKeySet(SigningKey Current, IReadOnlyDictionary<string, SigningKey> All);

/// <summary>A 256-bit HMAC key and the (Key Vault secret) version it came from.</summary>
public sealed record SigningKey(string Version, byte[] Key);
