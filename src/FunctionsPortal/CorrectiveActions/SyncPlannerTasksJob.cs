using FunctionsPortal.Jobs;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// Timer function (every 15 minutes): drives task rows that are due (deferred by throttling, an outage or an unknown
/// outcome, or abandoned by a crashed worker), then reads the board and tells the actions what each task shows,
/// reopening tasks completed without verified remediation. Two runs at once are harmless: rows are leased, reopening
/// is ETag-guarded.
/// </summary>
internal sealed partial class SyncPlannerTasksJob(ActionTasks tasks, ILogger<SyncPlannerTasksJob> logger) : IFunctionJob
{
    public const string FunctionName = "SyncPlannerTasks";
    private const int BatchSize = 200;

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var driven = await tasks.DriveDueAsync(BatchSize, cancellationToken);
        var sync = await tasks.SyncAsync(cancellationToken);
        LogDone(driven, sync.Observed, sync.Reopened, sync.Finished);
        invocation.Log($"{driven} due task rows driven, {sync.Observed} tasks observed, {sync.Reopened} reopened{(sync.Finished ? "" : " (board unavailable: stopped early)")}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task sync: {Driven} due rows driven, {Observed} tasks observed, {Reopened} reopened, finished {Finished}")]
    private partial void LogDone(int driven, int observed, int reopened, bool finished);
}
