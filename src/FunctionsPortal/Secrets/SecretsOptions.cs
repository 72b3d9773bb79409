using System.ComponentModel.DataAnnotations;

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
}
