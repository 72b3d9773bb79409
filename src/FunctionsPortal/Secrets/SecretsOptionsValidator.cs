using FunctionsPortal.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Secrets;

/// <summary>
/// Outside Development — standalone as well as under the Functions host — the signing key must come from Key Vault:
/// the development key is public, so links and seals made with it prove nothing.
/// </summary>
internal sealed class SecretsOptionsValidator(HostingMode mode, IHostEnvironment environment) : IValidateOptions<SecretsOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretsOptions options)
    {
        if (options.VaultUri is { } uri && (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps))
        {
            return ValidateOptionsResult.Fail($"Secrets:VaultUri '{uri}' must be an absolute https URI of a Key Vault.");
        }

        if (options.VaultUri is not null)
        {
            return ValidateOptionsResult.Success;
        }

        if (mode.IsFunctionsHost)
        {
            return ValidateOptionsResult.Fail("Secrets:VaultUri is not set: under the Functions host the signing key must come from Key Vault.");
        }

        return environment.IsDevelopment()
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Secrets:VaultUri is not set: outside Development (this is '{environment.EnvironmentName}') the signing key must come from Key Vault; the development key is public.");
    }
}
