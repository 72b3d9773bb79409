using FunctionsPortal.Storage;

namespace FunctionsPortal.Responses;

public static class ResponsesFeature
{
    /// <summary>The vendor's answers before sealing: drafts saved on the server, the session a link opens, readiness to submit.</summary>
    public static IHostApplicationBuilder AddResponses(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<DraftStore>();
        builder.Services.AddSingleton<VendorSessions>();
        builder.Services.AddSingleton<VendorProgress>();
        builder.Services.AddStorageResource(StorageResourceKind.Container, DraftStore.ContainerName);
        return builder;
    }
}
