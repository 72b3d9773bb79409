using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using FunctionsPortal.Settings;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Secrets;

public static class SecretsFeature
{
    /// <summary>
    /// Test hook: a keyed <see cref="HttpPipelineTransport"/> registered under this key carries every request of the
    /// app's <see cref="SecretClient"/> (tests point it at a loopback Key Vault fake). Production registers none.
    /// </summary>
    internal const string TransportKey = "FunctionsPortal.Secrets.SecretClientTransport";

    /// <summary>
    /// Key Vault settings, validated at start-up (required in Azure), and the signing keys: from the vault when
    /// <c>Secrets:VaultUri</c> is set, otherwise an insecure development key that warns at start.
    /// </summary>
    public static IHostApplicationBuilder AddSecrets(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SecretsOptions>()
            .BindConfiguration(SecretsOptions.SectionName)
            .ValidateWith(new ValidateSecretsOptions())
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecretsOptions>, SecretsOptionsValidator>();

        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{SecretsOptions.SectionName}:{nameof(SecretsOptions.VaultUri)}"]))
        {
            builder.Services.AddSingleton<DevelopmentSigningKeys>();
            builder.Services.AddSingleton<ISigningKeys>(services => services.GetRequiredService<DevelopmentSigningKeys>());
            builder.Services.AddHostedService(services => services.GetRequiredService<DevelopmentSigningKeys>());
            return builder;
        }

        // One app-wide credential (AZURE_CLIENT_ID selects the user-assigned managed identity); tests replace it.
        builder.Services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        builder.Services.AddSingleton(services => CreateSecretClient(
            services.GetRequiredService<IOptions<SecretsOptions>>().Value.VaultUri!,
            services.GetRequiredService<TokenCredential>(),
            services.GetKeyedService<HttpPipelineTransport>(TransportKey)));
        builder.Services.AddSingleton<ISigningKeys, KeyVaultSigningKeys>();
        return builder;
    }

    internal static SecretClient CreateSecretClient(Uri vaultUri, TokenCredential credential, HttpPipelineTransport? transport)
    {
        // Bounded retries: keys are read on the request path, so a dead vault should fail (or fall back) in seconds.
        var options = new SecretClientOptions();
        options.Retry.MaxRetries = 3;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        if (transport is not null)
        {
            options.Transport = transport;
        }

        return new SecretClient(vaultUri, credential, options);
    }
}
