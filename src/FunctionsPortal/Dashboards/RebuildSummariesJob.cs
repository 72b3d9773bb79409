using FunctionsPortal.Jobs;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Dashboards;

/// <summary>
/// Timer function (nightly): rebuilds every catalogued cycle's summary from its assignments, and the vendor list and attention
/// rows from the registry (tiers change as certifications expire), so any drift heals within a day.
/// </summary>
internal sealed partial class RebuildSummariesJob(CycleSummaryStore summaries, SummaryRebuilder rebuilder, VendorStore vendors, ILogger<RebuildSummariesJob> logger) : IFunctionJob
{
    public const string FunctionName = "RebuildSummaries";

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var cycles = await summaries.CyclesAsync(cancellationToken);
        var rewritten = 0;
        foreach (var cycle in cycles)
        {
            rewritten += await rebuilder.RebuildAsync(cycle.Id, cancellationToken);
        }

        LogDone(cycles.Count, rewritten);
        var indexed = await vendors.RebuildListIndexAsync(cancellationToken);
        LogVendors(indexed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Summaries rebuilt: {Cycles} cycles checked, {Rows} bucket rows rewritten")]
    private partial void LogDone(int cycles, int rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vendor list index rebuilt for {Vendors} vendors")]
    private partial void LogVendors(int vendors);
}
