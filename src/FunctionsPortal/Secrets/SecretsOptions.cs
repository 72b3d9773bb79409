using System.ComponentModel.DataAnnotations;
using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Secrets;

/// <summary>Where the app's secrets live: Azure Key Vault in Azure (read with the managed identity).</summary>
public sealed class SecretsOptions
{
    public const string SectionName = "Secrets";

    /// <summary>The vault, e.g. https://kv-xyz.vault.azure.net/. Required under the Functions host.</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>Name of the secret that signs vendor links and seals submissions; new versions rotate it.</summary>
    [Required]
    [RegularExpression("^[0-9A-Za-z-]{1,127}$", ErrorMessage = "Secrets:SigningKeySecretName must be 1-127 letters, digits and dashes (a Key Vault secret name).")]
    public string SigningKeySecretName { get; set; } = "portal-signing-key";

    /// <summary>
    /// How long the signing key set read from Key Vault is reused before the vault is asked again: a rotation takes
    /// effect within this time, and the vault (which throttles) sees one read per period, not one per request.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "1.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = "Secrets:KeyCacheDuration must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Only without <see cref="VaultUri"/> (local runs): the secret the development signing key is derived from.
    /// Empty means a fixed, publicly known value. Never secure.
    /// </summary>
    public string? DevelopmentKey { get; set; }
}

/// <summary>Checks <see cref="SecretsOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateSecretsOptions : IValidateOptions<SecretsOptions>;
