using NCrontab;

namespace FunctionsPortal.Jobs;

/// <summary>A timer trigger's NCRONTAB schedule (six fields with seconds, or five), evaluated in UTC as on Flex Consumption.</summary>
public sealed class TimerSchedule
{
    private readonly CrontabSchedule _schedule;

    private TimerSchedule(string expression, CrontabSchedule schedule, bool runOnStartup)
    {
        Expression = expression;
        _schedule = schedule;
        RunOnStartup = runOnStartup;
    }

    public string Expression { get; }

    public bool RunOnStartup { get; }

    public static TimerSchedule For(FunctionDefinition function, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(function);
        var trigger = function.Trigger;
        var raw = trigger.GetString("schedule")
                  ?? throw new FunctionCatalogException($"{function.Name}/function.json: the timer trigger has no schedule.");
        var expression = AppSettingReferences.Resolve(raw, configuration).Trim();
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var schedule = fields switch
        {
            6 => CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true }),
            5 => CrontabSchedule.TryParse(expression),
            _ => null,
        } ?? throw new FunctionCatalogException($"{function.Name}/function.json: '{expression}' is not an NCRONTAB schedule ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}).");
        return new TimerSchedule(expression, schedule, trigger.GetBoolean("runOnStartup", false));
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after)
    {
        var next = _schedule.GetNextOccurrence(after.UtcDateTime);
        return new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc));
    }
}
