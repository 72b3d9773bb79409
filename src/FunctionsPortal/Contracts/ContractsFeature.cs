using FunctionsPortal.Reviews;
using FunctionsPortal.Storage;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Contracts;

public static class ContractsFeature
{
    /// <summary>Per vendor, the 業務委託契約 and the 覚書 with their clauses and signed files; the activation gate.</summary>
    public static IHostApplicationBuilder AddContracts(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ContractOptions>().BindConfiguration(ContractOptions.SectionName).ValidateOnStart();
        builder.Services.AddStorageResource(StorageResourceKind.Table, ContractStore.TableName);
        builder.Services.AddSingleton<ContractStore>();
        builder.Services.AddSingleton<ContractRecorder>();
        builder.Services.AddSingleton<ActivationGate>();
        builder.Services.AddSingleton<ILifecycleGate>(services => services.GetRequiredService<ActivationGate>());
        builder.Services.AddSingleton<IAcceptedSubmissionSink, DueDiligenceAcceptances>();
        return builder;
    }

    public static IEndpointRouteBuilder MapContracts(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapContractsApi();
    }
}
