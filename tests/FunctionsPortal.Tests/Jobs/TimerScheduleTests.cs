using FunctionsPortal.Jobs;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.Configuration;

namespace FunctionsPortal.Tests.Jobs;

public sealed class TimerScheduleTests
{
    private static TimerSchedule ScheduleFor(string schedule, IConfiguration? configuration = null)
    {
        using var root = TestAppRoot.CopyOfApp().AddTimer("Probe", schedule);
        var function = FunctionCatalog.Load(root.Path).Find("Probe")!;
        return TimerSchedule.For(function, configuration ?? new ConfigurationBuilder().Build());
    }

    [Fact]
    public void SixFieldScheduleIncludesSeconds()
    {
        var schedule = ScheduleFor("30 */5 * * * *");

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 5, 5, 30, TimeSpan.Zero), schedule.NextAfter(new DateTimeOffset(2026, 11, 24, 5, 0, 30, TimeSpan.Zero)));
    }

    [Fact]
    public void AnnualScheduleWithoutAYearFieldRunsOnItsDay()
    {
        var schedule = ScheduleFor("0 0 6 15 1 *");

        Assert.Equal(new DateTimeOffset(2027, 1, 15, 6, 0, 0, TimeSpan.Zero), schedule.NextAfter(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void FiveFieldScheduleIsAcceptedToo()
    {
        var schedule = ScheduleFor("0 9 * * 1-5");

        // 2026-11-28 is a Saturday: the next weekday 09:00 is Monday the 30th.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), schedule.NextAfter(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void AppSettingReferenceIsResolved()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["REMINDER_SCHEDULE"] = "0 0 0 * * *" }).Build();

        var schedule = ScheduleFor("%REMINDER_SCHEDULE%", configuration);

        Assert.Equal("0 0 0 * * *", schedule.Expression);
    }

    [Theory]
    [InlineData("every five minutes")]
    [InlineData("0 0 25 * * *")]
    [InlineData("* * *")]
    public void InvalidScheduleIsRefusedNamingTheFunction(string expression)
    {
        var error = Assert.Throws<FunctionCatalogException>(() => ScheduleFor(expression));

        Assert.Contains("Probe/function.json", error.Message, StringComparison.Ordinal);
    }
}
