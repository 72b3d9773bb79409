using FunctionsPortal.Settings;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Subcontractors;

public static class SubcontractorsFeature
{
    /// <summary>Subcontractors declared by vendors on their pages (the handling-method request follows in Surveys), and our prior approval of them.</summary>
    public static IHostApplicationBuilder AddSubcontractors(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SubcontractorOptions>()
            .BindConfiguration(SubcontractorOptions.SectionName)
            .ValidateWith(new ValidateSubcontractorOptions())
            .ValidateOnStart();
        builder.Services.AddStorageResource(StorageResourceKind.Table, DeclarationQuota.TableName);
        builder.Services.AddSingleton<DeclarationQuota>();
        builder.Services.AddSingleton<SubcontractorDeclarations>();
        builder.Services.AddSingleton<HandlingDocuments>();
        builder.Services.AddSingleton<PriorApprovalDecisions>();
        return builder;
    }

    public static IEndpointRouteBuilder MapSubcontractors(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapSubcontractorsApi();
    }
}
