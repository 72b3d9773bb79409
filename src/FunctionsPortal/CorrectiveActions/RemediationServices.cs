using FunctionsPortal.Storage;

namespace FunctionsPortal.CorrectiveActions;

public static class RemediationServices
{
    /// <summary>The vendor's remediation (sealed in container "remediations") and staff's decisions on it and on residual risks.</summary>
    public static IHostApplicationBuilder AddRemediation(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddStorageResource(StorageResourceKind.Container, RemediationSealer.ContainerName);
        builder.Services.AddSingleton<RemediationSealer>();
        builder.Services.AddSingleton<RemediationSubmissions>();
        builder.Services.AddSingleton<RemediationReviews>();
        return builder;
    }
}
