using System.Security.Cryptography;
using FunctionsPortal.Secrets;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>Signing keys a test can rotate and retire at will (the Key Vault provider has its own tests).</summary>
public sealed class RotatingSigningKeys : ISigningKeys
{
    private readonly List<SigningKey> _keys = [new("v1", RandomNumberGenerator.GetBytes(32))];

    public string CurrentVersion => _keys[^1].Version;

    public void Rotate() => _keys.Add(new SigningKey($"v{_keys.Count + 1}", RandomNumberGenerator.GetBytes(32)));

    public void Retire(string version) => _keys.RemoveAll(key => key.Version == version);

    public Task<SigningKeySet> GetAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new SigningKeySet(_keys[^1], _keys.ToDictionary(key => key.Version)));
}
