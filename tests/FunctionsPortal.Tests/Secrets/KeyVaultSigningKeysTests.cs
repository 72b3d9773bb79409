using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using FunctionsPortal.Secrets;
using FunctionsPortal.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Secrets;

/// <summary>The Key Vault signing keys through the real SecretClient (challenge, JSON, paging) against <see cref="KeyVaultFake"/>.</summary>
public sealed class KeyVaultSigningKeysTests : IAsyncLifetime
{
    private const string SecretName = "portal-signing-key";
    private static readonly TimeSpan CacheDuration = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<KeyVaultSigningKeys> _logger = new();
    private readonly KeyVaultFakeCredential _credential = new();
    private KeyVaultFake _vault = null!;

    public async ValueTask InitializeAsync() => _vault = await KeyVaultFake.StartAsync(TestContext.Current.CancellationToken, _clock);

    public ValueTask DisposeAsync() => _vault.DisposeAsync();

    [Fact]
    public async Task TheNewestVersionSignsAndEveryEnabledVersionVerifies()
    {
        var first = _vault.AddVersion(SecretName, "first-value");
        var second = _vault.AddVersion(SecretName, "second-value");
        var third = _vault.AddVersion(SecretName, "third-value");

        var keys = await CreateKeys().GetAsync(TestContext.Current.CancellationToken);

        Assert.Equal(third, keys.Current.Version);
        Assert.Equal(Sha256("third-value"), keys.Current.Key);
        Assert.Equal(Sorted(first, second, third), Sorted([.. keys.All.Keys]));
        Assert.Equal(Sha256("first-value"), keys.All[first].Key);
        Assert.Equal(Sha256("second-value"), keys.All[second].Key);
        Assert.Same(keys.Current, keys.All[third]);
        // Three versions at two per page: the SDK followed nextLink.
        Assert.Equal(2, _vault.Requests.Count(request => request.Authorized && request.Path.EndsWith("/versions", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheHmacKeyIsTheSha256OfTheUtf8SecretValue()
    {
        // What the infra generates (two GUIDs), and a value outside ASCII, where UTF-8 matters.
        const string infraShaped = "5f0c1ad2-8d3b-4c55-9a77-0e5d2c1b3a4f0b9e8d7c-6a5b-4c3d-8e2f-1a0b9c8d7e6f";
        var vendorValue = "署名鍵-" + infraShaped;
        _vault.AddVersion(SecretName, infraShaped);
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(infraShaped));
        var keys = CreateKeys();

        var current = (await keys.GetAsync(TestContext.Current.CancellationToken)).Current;
        var rotated = _vault.AddVersion(SecretName, vendorValue);
        _clock.Advance(CacheDuration);
        var next = (await keys.GetAsync(TestContext.Current.CancellationToken)).Current;

        Assert.Equal(32, current.Key.Length);
        Assert.Equal(expected, current.Key);
        Assert.Equal(rotated, next.Version);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(vendorValue)), next.Key);
    }

    [Fact]
    public async Task ARotationSignsWithTheNewVersionOnceTheCacheExpiresAndTheOldVersionStillVerifies()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var old = _vault.AddVersion(SecretName, "old-value");
        var keys = CreateKeys();
        Assert.Equal(old, (await keys.GetAsync(cancellationToken)).Current.Version);

        var rotated = _vault.AddVersion(SecretName, "new-value");
        _clock.Advance(CacheDuration - TimeSpan.FromSeconds(1));
        var beforeExpiry = await keys.GetAsync(cancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var afterExpiry = await keys.GetAsync(cancellationToken);

        Assert.Equal(old, beforeExpiry.Current.Version);
        Assert.Equal(rotated, afterExpiry.Current.Version);
        Assert.Equal(Sha256("new-value"), afterExpiry.Current.Key);
        Assert.Equal(Sha256("old-value"), afterExpiry.All[old].Key);
        Assert.Equal(2, afterExpiry.All.Count);
    }

    [Fact]
    public async Task ADisabledVersionNoLongerVerifies()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var old = _vault.AddVersion(SecretName, "old-value");
        var current = _vault.AddVersion(SecretName, "current-value");
        var keys = CreateKeys();
        Assert.Contains(old, (await keys.GetAsync(cancellationToken)).All.Keys);

        _vault.Disable(SecretName, old);
        _clock.Advance(CacheDuration);
        var after = await keys.GetAsync(cancellationToken);

        Assert.Equal([current], after.All.Keys);
        Assert.Equal(current, after.Current.Version);
    }

    [Fact]
    public async Task AnExpiredVersionNoLongerVerifiesWhileOneExpiringLaterStillDoes()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var expiring = _vault.AddVersion(SecretName, "expiring", expiresOn: _clock.GetUtcNow().AddMinutes(3));
        var later = _vault.AddVersion(SecretName, "later", expiresOn: _clock.GetUtcNow().AddDays(30));
        var current = _vault.AddVersion(SecretName, "current");
        var keys = CreateKeys();
        Assert.Equal(3, (await keys.GetAsync(cancellationToken)).All.Count);

        _clock.Advance(CacheDuration);
        var after = await keys.GetAsync(cancellationToken);

        Assert.DoesNotContain(expiring, after.All.Keys);
        Assert.Equal(Sorted(current, later), Sorted([.. after.All.Keys]));
        Assert.Equal(Sha256("later"), after.All[later].Key);
    }

    [Fact]
    public async Task AnExpiryDateSetLaterRemovesTheVersionAtTheNextRefresh()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var old = _vault.AddVersion(SecretName, "old-value");
        _vault.AddVersion(SecretName, "current-value");
        var keys = CreateKeys();
        Assert.Contains(old, (await keys.GetAsync(cancellationToken)).All.Keys);

        _vault.SetExpiry(SecretName, old, _clock.GetUtcNow().AddSeconds(-1));
        _clock.Advance(CacheDuration);

        Assert.DoesNotContain(old, (await keys.GetAsync(cancellationToken)).All.Keys);
    }

    [Fact]
    public async Task AVersionNotYetValidVerifiesOnlyFromItsNotBeforeDate()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var pending = _vault.AddVersion(SecretName, "pending", notBefore: _clock.GetUtcNow().AddMinutes(3));
        _vault.AddVersion(SecretName, "current");
        var keys = CreateKeys();
        Assert.DoesNotContain(pending, (await keys.GetAsync(cancellationToken)).All.Keys);

        _clock.Advance(CacheDuration);

        Assert.Contains(pending, (await keys.GetAsync(cancellationToken)).All.Keys);
    }

    [Fact]
    public async Task AnExpiredLatestVersionStillSignsAndIsReported()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var older = _vault.AddVersion(SecretName, "older");
        var latest = _vault.AddVersion(SecretName, "latest", expiresOn: _clock.GetUtcNow().AddMinutes(-1));

        var keys = await CreateKeys().GetAsync(cancellationToken);

        Assert.Equal(latest, keys.Current.Version);
        Assert.Equal(Sorted(latest, older), Sorted([.. keys.All.Keys]));
        Assert.Contains(_logger.Collector.GetSnapshot(), record => record.Level == LogLevel.Warning && record.Message.Contains(latest, StringComparison.Ordinal) && record.Message.Contains("rotate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithinTheCacheDurationTheVaultIsNotAskedAgainAndKnownVersionsAreNeverReadTwice()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var first = _vault.AddVersion(SecretName, "first");
        _vault.AddVersion(SecretName, "second");
        var keys = CreateKeys();

        var loaded = await keys.GetAsync(cancellationToken);
        var afterLoad = _vault.Requests.Count;
        _clock.Advance(CacheDuration - TimeSpan.FromSeconds(1));
        var cached = await keys.GetAsync(cancellationToken);
        var whileCached = _vault.Requests.Count;
        _clock.Advance(TimeSpan.FromSeconds(1));
        await keys.GetAsync(cancellationToken);
        var refresh = _vault.Requests.Skip(whileCached).ToList();

        Assert.Same(loaded, cached);
        Assert.Equal(afterLoad, whileCached);
        // The refresh reads the latest version and lists versions; it does not read the older version's value again.
        Assert.Equal(["/secrets/portal-signing-key", "/secrets/portal-signing-key/versions"], refresh.Select(request => request.Path));
        Assert.DoesNotContain(refresh, request => request.Path.EndsWith(first, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConcurrentCallersShareOneRefresh()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _vault.AddVersion(SecretName, "only");
        var keys = CreateKeys();

        _vault.HoldResponses();
        var callers = Enumerable.Range(0, 10).Select(_ => Task.Run(() => keys.GetAsync(cancellationToken), cancellationToken)).ToList();
        await _vault.WhenHoldingAsync(cancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken); // let every caller reach the gate
        _vault.ReleaseResponses();
        var results = await Task.WhenAll(callers);

        Assert.All(results, result => Assert.Same(results[0], result));
        // One load: challenge + latest, then the version list (the only version's value is already known).
        Assert.Equal(["/secrets/portal-signing-key", "/secrets/portal-signing-key", "/secrets/portal-signing-key/versions"], _vault.Requests.Select(request => request.Path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFailedRefreshKeepsServingTheCachedSetAndWarns(bool unreachable)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var version = _vault.AddVersion(SecretName, "value");
        var keys = CreateKeys();
        var loaded = await keys.GetAsync(cancellationToken);

        Fail(unreachable);
        _clock.Advance(CacheDuration);
        var duringOutage = await keys.GetAsync(cancellationToken);
        var asked = _vault.Requests.Count;
        var again = await keys.GetAsync(cancellationToken);

        Assert.Same(loaded, duringOutage);
        Assert.Same(loaded, again);
        Assert.Equal(asked, _vault.Requests.Count); // no hammering a failing vault on every call
        var warning = Assert.Single(_logger.Collector.GetSnapshot(), record => record.Level == LogLevel.Warning);
        Assert.Contains(version, warning.Message, StringComparison.Ordinal);
        Assert.IsType<RequestFailedException>(warning.Exception);

        var rotated = _vault.AddVersion(SecretName, "rotated");
        _vault.Recover();
        _clock.Advance(KeyVaultSigningKeys.RetryAfterFailure);
        Assert.Equal(rotated, (await keys.GetAsync(cancellationToken)).Current.Version);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFailureWithNothingCachedThrowsAndTheNextCallTriesAgain(bool unreachable)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var version = _vault.AddVersion(SecretName, "value");
        var keys = CreateKeys();
        Fail(unreachable);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => keys.GetAsync(cancellationToken));
        _vault.Recover();
        var recovered = await keys.GetAsync(cancellationToken);

        Assert.Equal(unreachable ? 0 : (int)HttpStatusCode.InternalServerError, error.Status);
        Assert.Equal(version, recovered.Current.Version);
    }

    [Fact]
    public async Task AMissingSecretThrowsTheVaultsNotFoundError()
    {
        _vault.AddVersion("some-other-secret", "value");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => CreateKeys().GetAsync(TestContext.Current.CancellationToken));

        Assert.Equal(404, error.Status);
        Assert.Equal("SecretNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task TheClientAnswersTheVaultsChallengeWithATokenForTheVaultInTheChallengedTenant()
    {
        _vault.AddVersion(SecretName, "value");

        await CreateKeys().GetAsync(TestContext.Current.CancellationToken);

        var token = Assert.Single(_credential.Requests);
        Assert.Equal(["https://vault.azure.net/.default"], token.Scopes);
        Assert.Equal(KeyVaultFake.TenantId, token.TenantId);
        var requests = _vault.Requests;
        Assert.False(requests[0].Authorized);
        Assert.All(requests.Skip(1), request => Assert.True(request.Authorized));
        Assert.All(requests, request => Assert.Equal(_vault.VaultUri.Host, request.Host));
        Assert.All(requests, request => Assert.False(string.IsNullOrEmpty(request.ApiVersion)));
    }

    private KeyVaultSigningKeys CreateKeys() => new(
        _vault.CreateClient(_credential),
        Options.Create(new SecretsOptions { VaultUri = _vault.VaultUri, SigningKeySecretName = SecretName, KeyCacheDuration = CacheDuration }),
        _clock,
        _logger);

    private void Fail(bool unreachable)
    {
        if (unreachable)
        {
            _vault.BeUnreachable();
        }
        else
        {
            _vault.FailWith(HttpStatusCode.InternalServerError);
        }
    }

    private static List<string> Sorted(params string[] versions) => [.. versions.Order(StringComparer.Ordinal)];

    private static byte[] Sha256(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
