using FunctionsPortal.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Secrets;

/// <summary>In Azure (under the Functions host) secrets must come from Key Vault; locally a development key is allowed.</summary>
internal sealed class SecretsOptionsValidator(HostingMode mode) : IValidateOptions<SecretsOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretsOptions options)
    {
        if (options.VaultUri is { } uri && (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps))
        {
            return ValidateOptionsResult.Fail($"Secrets:VaultUri '{uri}' must be an absolute https URI of a Key Vault.");
        }

        return mode.IsFunctionsHost && options.VaultUri is null
            ? ValidateOptionsResult.Fail("Secrets:VaultUri is not set: under the Functions host the signing key must come from Key Vault.")
            : ValidateOptionsResult.Success;
    }
}
