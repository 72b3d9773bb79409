using FunctionsPortal.Hosting;
using FunctionsPortal.Storage;
using FunctionsPortal.Submissions;

namespace FunctionsPortal.RegistryProposals;

public static class RegistryProposalsFeature
{
    /// <summary>Registry changes proposed by the scoping answers of sealed submissions, and staff's decisions on them.</summary>
    public static IHostApplicationBuilder AddRegistryProposals(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpJsonTypes(RegistryProposalsJsonContext.Default);
        builder.Services.AddStorageResource(StorageResourceKind.Table, ProposalStore.TableName);
        builder.Services.AddSingleton<ProposalStore>();
        builder.Services.AddSingleton<ProposalDecisions>();
        builder.Services.AddSingleton<ISealedSubmissionSink, ScopingProposalSink>();
        return builder;
    }

    public static IEndpointRouteBuilder MapRegistryProposals(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapProposalsApi();
    }
}
