using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Secrets;

/// <summary>
/// The signing key when no Key Vault is configured (local runs only; the options validator refuses this under the
/// Functions host). The key is fixed, or derived from <see cref="SecretsOptions.DevelopmentKey"/>, and says so loudly
/// when the host starts.
/// </summary>
internal sealed partial class DevelopmentSigningKeys(IOptions<SecretsOptions> options, ILogger<DevelopmentSigningKeys> logger)
    : ISigningKeys, IHostedService
{
    public const string Version = "development";

    /// <summary>Public by design (it is in the source): anyone can forge links signed with it.</summary>
    internal const string FixedSecret = "functions-portal-development-signing-key-not-secret";

    private readonly SigningKeySet _keys = Create(options.Value.DevelopmentKey);

    public Task<SigningKeySet> GetAsync(CancellationToken cancellationToken) => Task.FromResult(_keys);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogInsecureKey(string.IsNullOrWhiteSpace(options.Value.DevelopmentKey) ? "the fixed built-in value" : "Secrets:DevelopmentKey");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static SigningKeySet Create(string? developmentKey)
    {
        var key = SigningKeyMaterial.FromSecret(Version, string.IsNullOrWhiteSpace(developmentKey) ? FixedSecret : developmentKey);
        return new SigningKeySet(key, new Dictionary<string, SigningKey>(StringComparer.Ordinal) { [Version] = key }.ToFrozenDictionary(StringComparer.Ordinal));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "!!! DEVELOPMENT SIGNING KEY (from {Source}) — links are not secure; configure Secrets:VaultUri !!!")]
    private partial void LogInsecureKey(string source);
}
