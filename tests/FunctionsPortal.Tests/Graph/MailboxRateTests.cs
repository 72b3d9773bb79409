using FunctionsPortal.Graph;

namespace FunctionsPortal.Tests.Graph;

/// <summary>The arithmetic of a mailbox's shared "rate" row: pacing, turns for deferred mail, the rolling daily window.</summary>
public sealed class MailboxRateTests
{
    private static readonly DateTimeOffset Ten = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero); // 10:00 in Japan
    private static readonly RateRules SixAMinute = RateRules.For(new GraphMailOptions { MessagesPerMinute = 6, RecipientsPerDay = 5 });

    [Theory]
    [InlineData(30, 2_033)]
    [InlineData(6, 10_166)]
    [InlineData(10_000, 6)]
    public void SendsArePacedSoThatAnyMinuteAndASecondHoldsAtMostTheLimit(int messagesPerMinute, int spacingMilliseconds)
    {
        var rules = RateRules.For(new GraphMailOptions { MessagesPerMinute = messagesPerMinute });

        Assert.Equal(spacingMilliseconds, (int)rules.Spacing.TotalMilliseconds);
        Assert.Equal(TimeSpan.FromSeconds(2), rules.MaxWait);
    }

    [Fact]
    public void TheFirstSendGoesAtOnceAndTheNextWaitsItsSpacingOrGetsATurn()
    {
        var state = new MailboxRateEntity();

        var first = MailboxRate.Decide(state, Ten, 1, SixAMinute);
        var soon = MailboxRate.Decide(state, Ten + SixAMinute.Spacing - TimeSpan.FromSeconds(1), 1, SixAMinute);
        var later = MailboxRate.Decide(state, Ten + TimeSpan.FromSeconds(1), 1, SixAMinute);
        var afterThat = MailboxRate.Decide(state, Ten + TimeSpan.FromSeconds(2), 1, SixAMinute);

        Assert.Equal(new RateDecision(RateVerdict.Go, Ten), first);
        // Within the wait allowed: go, starting when the spacing is over (the permit is taken now).
        Assert.Equal(new RateDecision(RateVerdict.Go, Ten + SixAMinute.Spacing), soon);
        // Too far off: a turn each, one spacing apart, after the permit already given.
        Assert.Equal(new RateDecision(RateVerdict.Turn, Ten + (2 * SixAMinute.Spacing)), later);
        Assert.Equal(new RateDecision(RateVerdict.Turn, Ten + (3 * SixAMinute.Spacing)), afterThat);
        Assert.Equal(Ten + (2 * SixAMinute.Spacing), state.NextSendAt);
        Assert.Equal(Ten + (4 * SixAMinute.Spacing), state.BookedUntil);
    }

    [Fact]
    public void AMailComingBackAtItsTurnGoes()
    {
        var state = new MailboxRateEntity();
        MailboxRate.Decide(state, Ten, 1, SixAMinute);
        var turn = MailboxRate.Decide(state, Ten, 1, SixAMinute);

        var back = MailboxRate.Decide(state, turn.At, 1, SixAMinute);

        Assert.Equal(RateVerdict.Turn, turn.Verdict);
        Assert.Equal(new RateDecision(RateVerdict.Go, turn.At), back);
    }

    [Fact]
    public void OverTheDailyCapAMailWaitsUntilTheOldestHoursLeaveTheWindow()
    {
        var state = new MailboxRateEntity();
        var rules = SixAMinute with { Spacing = TimeSpan.Zero };
        Assert.Equal(RateVerdict.Go, MailboxRate.Decide(state, Ten + TimeSpan.FromMinutes(5), 2, rules).Verdict); // 10:05
        Assert.Equal(RateVerdict.Go, MailboxRate.Decide(state, Ten + TimeSpan.FromHours(3), 3, rules).Verdict);   // 13:00

        var full = MailboxRate.Decide(state, Ten + TimeSpan.FromHours(5), 1, rules);
        var three = MailboxRate.Decide(state, Ten + TimeSpan.FromHours(5), 3, rules);
        var nextDay = MailboxRate.Decide(state, Ten + TimeSpan.FromHours(25), 1, rules);

        // 10:00–11:00 counts until 11:00 the next day (a send at 10:59 is within 24 hours until then); 13:00 until 14:00.
        Assert.Equal(new RateDecision(RateVerdict.LaterWindow, Ten + TimeSpan.FromHours(25)), full);
        Assert.Equal(new RateDecision(RateVerdict.LaterWindow, Ten + TimeSpan.FromHours(28)), three);
        Assert.Equal(RateVerdict.Go, nextDay.Verdict);
        Assert.Equal(4, MailboxRate.RecipientsInWindow(state, Ten + TimeSpan.FromHours(25)));
    }

    [Fact]
    public void AMailWithMoreRecipientsThanTheCapCanNeverGo() =>
        Assert.Equal(RateVerdict.Never, MailboxRate.Decide(new MailboxRateEntity(), Ten, 6, SixAMinute).Verdict);

    [Fact]
    public void ARowWrittenByAnInstanceWhoseClockRunsAheadIsNotRolledBack()
    {
        var state = new MailboxRateEntity();
        var rules = SixAMinute with { Spacing = TimeSpan.Zero };
        MailboxRate.Decide(state, Ten + TimeSpan.FromHours(1), 5, rules); // written at 11:00 by a clock an hour ahead

        // At 10:30 here the counts are still there, and they leave the window with their own hour (12:00 the next day).
        Assert.Equal(5, MailboxRate.RecipientsInWindow(state, Ten + TimeSpan.FromMinutes(30)));
        Assert.Equal(Ten + TimeSpan.FromHours(26), MailboxRate.RoomFrom(state, Ten + TimeSpan.FromMinutes(30), 1, 5));
    }

    [Fact]
    public void TheRowKeepsOnlyTheHoursThatCount()
    {
        var state = new MailboxRateEntity();
        var rules = SixAMinute with { Spacing = TimeSpan.Zero, RecipientsPerDay = 10_000 };
        for (var hour = 0; hour < 40; hour++)
        {
            MailboxRate.Decide(state, Ten + TimeSpan.FromHours(hour), 1, rules);
        }

        Assert.Equal(string.Join(',', Enumerable.Repeat("1", MailboxRate.Hours)), state.RecipientsByHour);
        Assert.Equal(Ten + TimeSpan.FromHours(39), state.NewestHour);
    }
}
