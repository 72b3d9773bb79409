using FunctionsPortal.Jobs;

namespace FunctionsPortal.Audit;

/// <summary>
/// Timer function, daily at 00:05 Japan time (15:05 UTC): takes the day's anchor over every chain's head and logs its
/// hash, so a copy lives outside the storage account (Application Insights) where rewriting the tables cannot reach it.
/// </summary>
internal sealed partial class AnchorAuditChainsJob(AuditAnchors anchors, ILogger<AnchorAuditChainsJob> logger) : IFunctionJob
{
    public const string FunctionName = "AnchorAuditChains";

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var anchor = await anchors.TakeAsync(cancellationToken);
        LogAnchor(anchor.Name, anchor.Heads.Count, anchor.Hash ?? "");
        invocation.Log($"{anchor.Name}: {anchor.Heads.Count} chains, sha256 {anchor.Hash}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit anchor {Anchor}: {Chains} chains, sha256 {AnchorHash}")]
    private partial void LogAnchor(string anchor, int chains, string anchorHash);
}
