using FunctionsPortal.Hosting;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Checklists;

public static class ChecklistsFeature
{
    /// <summary>Versioned checklist definitions, the defaults derived from the source documents, and their staff API.</summary>
    public static IHostApplicationBuilder AddChecklists(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpJsonTypes(ChecklistsJsonContext.Default);
        builder.Services.AddSingleton<ChecklistLibrary>();
        builder.Services.AddSingleton<DefaultChecklistsSeeder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DefaultChecklistsSeeder>());
        builder.Services.AddStorageResource(StorageResourceKind.Table, ChecklistLibrary.TableName);
        builder.Services.AddStorageResource(StorageResourceKind.Container, ChecklistLibrary.ContainerName);
        return builder;
    }

    public static IEndpointRouteBuilder MapChecklists(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapChecklistsApi();
    }
}
