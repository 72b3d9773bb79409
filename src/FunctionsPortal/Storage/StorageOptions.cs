using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Storage;

/// <summary>
/// One storage account for tables, blobs and queues. The key names match the Functions host's identity-based
/// connection settings (<c>Storage__queueServiceUri</c>, <c>Storage__clientId</c>), so queue triggers naming the
/// connection "Storage" and the app always talk to the same account.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    /// <summary>A connection string (Azurite locally). When set, the service URIs are ignored.</summary>
    public string? ConnectionString { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? TableServiceUri { get; set; }

    /// <summary>The user-assigned managed identity's client id; empty means DefaultAzureCredential's own choice.</summary>
    public string? ClientId { get; set; }

    /// <summary>Read by the Functions host ("managedidentity"); the app always uses DefaultAzureCredential.</summary>
    public string? Credential { get; set; }

    /// <summary>Prefixed to every table, container and queue name, so several environments or test runs can share an account.</summary>
    [RegularExpression("^([a-z][a-z0-9]{0,15})?$", ErrorMessage = "Storage:ResourcePrefix must be empty or 1-16 lowercase letters and digits starting with a letter.")]
    public string ResourcePrefix { get; set; } = "";

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesConnectionString)
        {
            yield break;
        }

        var missing = new List<string>();
        if (BlobServiceUri is null)
        {
            missing.Add("Storage:BlobServiceUri");
        }

        if (QueueServiceUri is null)
        {
            missing.Add("Storage:QueueServiceUri");
        }

        if (TableServiceUri is null)
        {
            missing.Add("Storage:TableServiceUri");
        }

        if (missing.Count > 0)
        {
            yield return new ValidationResult(
                $"Storage is not configured: set Storage:ConnectionString, or all of {string.Join(", ", missing)} (with Storage:ClientId for a user-assigned managed identity).",
                [nameof(ConnectionString)]);
        }
    }
}

/// <summary>Checks <see cref="StorageOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateStorageOptions : IValidateOptions<StorageOptions>;
