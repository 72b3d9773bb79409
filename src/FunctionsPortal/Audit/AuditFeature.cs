using FunctionsPortal.Jobs;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Audit;

public static class AuditFeature
{
    /// <summary>The tamper-evident audit trail: a hash chain per vendor, a daily anchor over all chains, and its staff API.</summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<AuditAnchors>();
        builder.Services.AddSingleton<AuditVerifier>();
        builder.Services.AddFunctionJob<AnchorAuditChainsJob>(AnchorAuditChainsJob.FunctionName);
        builder.Services.AddStorageResource(StorageResourceKind.Table, AuditTrail.TableName);
        builder.Services.AddStorageResource(StorageResourceKind.Table, AuditAnchors.TableName);
        return builder;
    }

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapAuditApi();
    }
}
