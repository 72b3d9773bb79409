using FunctionsPortal.Storage;

namespace FunctionsPortal.Submissions;

public static class SubmissionsFeature
{
    /// <summary>Sealing submissions (write-once, signed with the Key Vault key), their scores and verification.</summary>
    public static IHostApplicationBuilder AddSubmissions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<SubmissionStore>();
        builder.Services.AddSingleton<SubmissionSealer>();
        builder.Services.AddSingleton<SubmissionVerifier>();
        builder.Services.AddStorageResource(StorageResourceKind.Container, SubmissionStore.SealedContainer);
        builder.Services.AddStorageResource(StorageResourceKind.Container, SubmissionStore.ScoresContainer);
        builder.Services.AddStorageResource(StorageResourceKind.Table, SubmissionStore.TableName);
        return builder;
    }

    public static IEndpointRouteBuilder MapSubmissions(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapSubmissionsApi();
    }
}
