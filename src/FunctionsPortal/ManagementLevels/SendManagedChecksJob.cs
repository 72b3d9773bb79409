using FunctionsPortal.Jobs;

namespace FunctionsPortal.ManagementLevels;

/// <summary>Timer function (daily, 09:00 in Japan): sends the managed vendors' themed self-inspections that fall due soon.</summary>
internal sealed partial class SendManagedChecksJob(ManagementTracker tracker, ILogger<SendManagedChecksJob> logger) : IFunctionJob
{
    public const string FunctionName = "SendManagedChecks";

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var sent = await tracker.SendDueChecksAsync(cancellationToken);
        LogSent(sent);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Managed periods: {Sent} themed check(s) sent")]
    private partial void LogSent(int sent);
}
