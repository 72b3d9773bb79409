using FunctionsPortal.Storage;

namespace FunctionsPortal.Subcontractors;

public static class SubcontractorsFeature
{
    /// <summary>Subcontractors declared by vendors on their pages (approval and the handling-method request follow in Vendors and Surveys).</summary>
    public static IHostApplicationBuilder AddSubcontractors(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SubcontractorOptions>()
            .BindConfiguration(SubcontractorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddStorageResource(StorageResourceKind.Table, DeclarationQuota.TableName);
        builder.Services.AddSingleton<DeclarationQuota>();
        builder.Services.AddSingleton<SubcontractorDeclarations>();
        return builder;
    }
}
