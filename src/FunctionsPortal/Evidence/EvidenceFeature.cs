using FunctionsPortal.Settings;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Evidence;

public static class EvidenceFeature
{
    /// <summary>Evidence files vendors attach to checklist answers: size limits, content-type checks and their container.</summary>
    public static IHostApplicationBuilder AddEvidence(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EvidenceOptions>()
            .BindConfiguration(EvidenceOptions.SectionName)
            .ValidateWith(new ValidateEvidenceOptions())
            .ValidateOnStart();
        builder.Services.AddSingleton<EvidenceStore>();
        builder.Services.AddStorageResource(StorageResourceKind.Container, EvidenceStore.ContainerName);
        return builder;
    }
}
