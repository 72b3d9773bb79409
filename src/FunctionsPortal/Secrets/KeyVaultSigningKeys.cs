using System.Collections.Frozen;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Secrets;

/// <summary>
/// Signing keys from the Key Vault secret <see cref="SecretsOptions.SigningKeySecretName"/>: the latest version signs,
/// every enabled, unexpired version verifies. The set is cached for <see cref="SecretsOptions.KeyCacheDuration"/>
/// (Key Vault throttles and asks clients to cache), and each version's value for good (a version never changes).
/// Concurrent callers share one refresh. A failed refresh keeps serving the last good set; with none, it throws.
/// </summary>
internal sealed partial class KeyVaultSigningKeys(
    SecretClient client,
    IOptions<SecretsOptions> options,
    TimeProvider timeProvider,
    ILogger<KeyVaultSigningKeys> logger) : ISigningKeys
{
    /// <summary>After a failed refresh the cached set is served, and the vault asked again no sooner than this.</summary>
    internal static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();

    // Touched only by the running refresh, and there is at most one.
    private readonly Dictionary<string, SigningKey> _keysByVersion = new(StringComparer.Ordinal);

    private Cached? _cached;
    private Task<SigningKeySet>? _refresh;

    public Task<SigningKeySet> GetAsync(CancellationToken cancellationToken)
    {
        Task<SigningKeySet> refresh;
        lock (_gate)
        {
            if (_cached is { } cached && timeProvider.GetUtcNow() < cached.RefreshAfter)
            {
                return Task.FromResult(cached.Keys);
            }

            refresh = _refresh ??= RefreshAsync();
        }

        // One caller giving up must not cancel the refresh the others wait on; the SDK's network timeout bounds it.
        return refresh.WaitAsync(cancellationToken);
    }

    private async Task<SigningKeySet> RefreshAsync()
    {
        // Continue outside the caller's lock, so _refresh is assigned before this can finish and clear it.
        await Task.Yield();
        var previous = _cached;
        Cached? next = null;
        try
        {
            next = await LoadOrKeepAsync(previous);
            return next.Keys;
        }
        finally
        {
            lock (_gate)
            {
                _cached = next ?? _cached;
                _refresh = null;
            }
        }
    }

    private async Task<Cached> LoadOrKeepAsync(Cached? previous)
    {
        try
        {
            var keys = await LoadAsync(CancellationToken.None);
            if (previous?.Keys.Current.Version != keys.Current.Version)
            {
                LogLoaded(keys.Current.Version, keys.All.Count);
            }

            return new Cached(keys, timeProvider.GetUtcNow() + options.Value.KeyCacheDuration);
        }
        catch (Exception exception) when (previous is not null && exception is RequestFailedException or AuthenticationFailedException or OperationCanceledException)
        {
            // Serving the last good keys beats failing every link while the vault is unreachable; the warning repeats
            // on each retry, so an outage (or a revoked credential) cannot go unnoticed.
            var retryAfter = RetryAfterFailure < options.Value.KeyCacheDuration ? RetryAfterFailure : options.Value.KeyCacheDuration;
            LogRefreshFailed(exception, previous.Keys.Current.Version, retryAfter);
            return previous with { RefreshAfter = timeProvider.GetUtcNow() + retryAfter };
        }
    }

    private async Task<SigningKeySet> LoadAsync(CancellationToken cancellationToken)
    {
        var name = options.Value.SigningKeySecretName;
        KeyVaultSecret latest = await client.GetSecretAsync(name, cancellationToken: cancellationToken);
        var current = Remember(latest);

        var now = timeProvider.GetUtcNow();
        var usable = new List<string>();
        await foreach (var properties in client.GetPropertiesOfSecretVersionsAsync(name, cancellationToken))
        {
            if (IsUsable(properties, now))
            {
                usable.Add(properties.Version);
            }
        }

        var fetched = await Task.WhenAll(usable
            .Where(version => !_keysByVersion.ContainsKey(version))
            .Select(version => client.GetSecretAsync(name, version, cancellationToken: cancellationToken)));
        foreach (var secret in fetched)
        {
            Remember(secret.Value);
        }

        if (!usable.Contains(current.Version, StringComparer.Ordinal))
        {
            // Still signs with it: a lapsed expiry date should prompt a rotation, not take every link down.
            LogCurrentNotUsable(current.Version, latest.Properties.ExpiresOn, latest.Properties.NotBefore);
        }

        var all = usable.Append(current.Version).Distinct(StringComparer.Ordinal)
            .ToFrozenDictionary(version => version, version => _keysByVersion[version], StringComparer.Ordinal);
        return new SigningKeySet(current, all);
    }

    private static bool IsUsable(SecretProperties properties, DateTimeOffset now) =>
        properties.Enabled == true
        && (properties.ExpiresOn is null || properties.ExpiresOn > now)
        && (properties.NotBefore is null || properties.NotBefore <= now);

    private SigningKey Remember(KeyVaultSecret secret)
    {
        var version = secret.Properties.Version;
        if (!_keysByVersion.TryGetValue(version, out var key))
        {
            key = SigningKeyMaterial.FromSecret(version, secret.Value
                ?? throw new InvalidOperationException($"Key Vault returned no value for secret '{secret.Name}' version {version}."));
            _keysByVersion[version] = key;
        }

        return key;
    }

    private sealed record Cached(SigningKeySet Keys, DateTimeOffset RefreshAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing keys loaded from Key Vault: current version {Version}, {Count} version(s) verify")]
    private partial void LogLoaded(string version, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the signing keys from Key Vault; still using the cached set (current version {Version}) and retrying after {RetryAfter}")]
    private partial void LogRefreshFailed(Exception exception, string version, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The latest signing key version {Version} is expired or not yet valid (expires {ExpiresOn}, not before {NotBefore}); it still signs, but rotate the secret")]
    private partial void LogCurrentNotUsable(string version, DateTimeOffset? expiresOn, DateTimeOffset? notBefore);
}
