using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using FunctionsPortal.Secrets;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsPortal.Tests.Secrets;

/// <summary>What the app resolves: the vault when <c>Secrets:VaultUri</c> is set (through the app's own SecretClient), else the development key.</summary>
public sealed class SigningKeysRegistrationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task WithAVaultUriTheAppReadsItsSigningKeysFromKeyVault()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var vault = await KeyVaultFake.StartAsync(cancellationToken);
        var version = vault.AddVersion("link-key", "vault-value");
        var credential = new KeyVaultFakeCredential();
        await using var app = new PortalApplication(
            azurite,
            settings: new Dictionary<string, string?>
            {
                ["Secrets:VaultUri"] = vault.VaultUri.ToString(),
                ["Secrets:SigningKeySecretName"] = "link-key",
            },
            configureServices: services =>
            {
                services.AddSingleton<TokenCredential>(credential);
                services.AddKeyedSingleton(SecretsFeature.TransportKey, vault.CreateTransport());
            });

        var signingKeys = app.Services.GetRequiredService<ISigningKeys>();
        var keys = await signingKeys.GetAsync(cancellationToken);

        Assert.IsType<KeyVaultSigningKeys>(signingKeys);
        Assert.Equal(version, keys.Current.Version);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData("vault-value"u8), keys.Current.Key);
        Assert.NotEmpty(credential.Requests);
        Assert.DoesNotContain(app.Logs.GetSnapshot(), record => record.Message.Contains("DEVELOPMENT SIGNING KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithAVaultUriTheCredentialIsDefaultAzureCredentialUnlessReplaced()
    {
        await using var app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Secrets:VaultUri"] = "https://kv-portal.vault.azure.net/" });

        Assert.IsType<DefaultAzureCredential>(app.Services.GetRequiredService<TokenCredential>());
        Assert.Null(app.Services.GetKeyedService<HttpPipelineTransport>(SecretsFeature.TransportKey));
    }

    [Fact]
    public async Task WithoutAVaultUriTheAppUsesTheDevelopmentKeyAndWarnsAtStart()
    {
        await using var app = new PortalApplication(azurite);

        var signingKeys = app.Services.GetRequiredService<ISigningKeys>();
        var keys = await signingKeys.GetAsync(TestContext.Current.CancellationToken);

        Assert.IsType<DevelopmentSigningKeys>(signingKeys);
        Assert.Equal("development", keys.Current.Version);
        Assert.Contains(app.Logs.GetSnapshot(), record => record.Level == LogLevel.Warning
            && record.Message.Contains("links are not secure; configure Secrets:VaultUri", StringComparison.Ordinal));
    }

    [Fact]
    public void ACacheDurationOutsideOneSecondToOneDayIsRefused()
    {
        Assert.Contains("Secrets:KeyCacheDuration", StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Secrets:KeyCacheDuration"] = "00:00:00" })), StringComparison.Ordinal);
    }
}
