using System.Globalization;

namespace FunctionsPortal.Graph;

/// <summary>
/// The arithmetic of a mailbox's "rate" row (<see cref="MailboxRateEntity"/>), without storage or clocks so it can be
/// tested on its own. Sends are paced one <see cref="RateRules.Spacing"/> apart (no bursts); a send that cannot start
/// within <see cref="RateRules.MaxWait"/> is given a turn instead — the next free one after the turns already given —
/// so deferred mail comes back spread out rather than all at once; recipients are counted per hour over a rolling
/// window and a mail that would go over the daily cap waits until enough of the window's oldest hours fall out.
/// </summary>
internal static class MailboxRate
{
    /// <summary>
    /// Hours of recipients kept. Exchange counts a mailbox's recipients over a rolling 24 hours; counted in whole hours,
    /// a send at 10:59 is still inside that window at 10:58 the next day, so its hour counts until 11:00: 25 hours.
    /// </summary>
    public const int Hours = 25;

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>
    /// Decides a send of <paramref name="recipients"/> at <paramref name="now"/> and changes <paramref name="state"/>
    /// to match (write it back only when <see cref="RateDecision.ChangesState"/>).
    /// </summary>
    public static RateDecision Decide(MailboxRateEntity state, DateTimeOffset now, int recipients, RateRules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        if (recipients > rules.RecipientsPerDay)
        {
            return new RateDecision(RateVerdict.Never, now);
        }

        var room = RoomFrom(state, now, recipients, rules.RecipientsPerDay);
        if (room > now)
        {
            return new RateDecision(RateVerdict.LaterWindow, room);
        }

        var start = state.NextSendAt is { } next && next > now ? next : now;
        if (start - now > rules.MaxWait)
        {
            var turn = state.BookedUntil is { } booked && booked > start ? booked : start;
            state.BookedUntil = turn + rules.Spacing;
            return new RateDecision(RateVerdict.Turn, turn);
        }

        state.NextSendAt = start + rules.Spacing;
        var (buckets, newest) = Rolled(state, HourOf(start));
        buckets[0] += recipients;
        state.NewestHour = newest;
        state.RecipientsByHour = Format(buckets);
        return new RateDecision(RateVerdict.Go, start);
    }

    /// <summary>When the window has room for <paramref name="recipients"/> more: <paramref name="now"/> if it has now.</summary>
    public static DateTimeOffset RoomFrom(MailboxRateEntity state, DateTimeOffset now, int recipients, int recipientsPerDay)
    {
        ArgumentNullException.ThrowIfNull(state);
        var (buckets, newest) = Rolled(state, HourOf(now));
        var over = buckets.Sum() + recipients - recipientsPerDay;
        // Drop the oldest hours until the mail fits; an hour leaves the window 25 hours after it began.
        for (var age = Hours - 1; over > 0 && age >= 0; age--)
        {
            over -= buckets[age];
            if (over <= 0)
            {
                return newest - (age * Hour) + (Hours * Hour);
            }
        }

        return over <= 0 ? now : newest + (Hours * Hour);
    }

    /// <summary>Recipients counted in the window at <paramref name="now"/>.</summary>
    public static int RecipientsInWindow(MailboxRateEntity state, DateTimeOffset now) => Rolled(state, HourOf(now)).Buckets.Sum();

    public static DateTimeOffset HourOf(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    /// <summary>
    /// The hourly counts with [0] the later of <paramref name="hour"/> and the row's newest hour: a row written by an
    /// instance whose clock runs ahead is never rolled back (its counts then simply stay in the window a little longer).
    /// </summary>
    private static (int[] Buckets, DateTimeOffset Newest) Rolled(MailboxRateEntity state, DateTimeOffset hour)
    {
        var stored = state.RecipientsByHour.Length == 0 ? [] : state.RecipientsByHour.Split(',').Select(count => int.Parse(count, CultureInfo.InvariantCulture)).ToArray();
        var storedNewest = state.NewestHour ?? hour;
        var newest = storedNewest > hour ? storedNewest : hour;
        var shift = (newest - storedNewest).Ticks / TimeSpan.TicksPerHour;
        var buckets = new int[Hours];
        for (var age = 0; age < stored.Length && age + shift < Hours; age++)
        {
            buckets[age + shift] = stored[age];
        }

        return (buckets, newest);
    }

    private static string Format(int[] buckets)
    {
        var used = buckets.Length;
        while (used > 0 && buckets[used - 1] == 0)
        {
            used--;
        }

        return string.Join(',', buckets.Take(used).Select(count => count.ToString(CultureInfo.InvariantCulture)));
    }
}

/// <param name="Spacing">Time between two sends of one mailbox.</param>
/// <param name="MaxWait">How long a caller may wait for its send to start instead of being given a later turn.</param>
/// <param name="RecipientsPerDay">Recipients allowed in the rolling window.</param>
internal sealed record RateRules(TimeSpan Spacing, TimeSpan MaxWait, int RecipientsPerDay)
{
    /// <summary>
    /// Exchange counts a message when it reaches Exchange, a moment after our permit, and two requests do not travel
    /// equally fast: pacing N messages over a minute and a second keeps every minute at Exchange within N unless one
    /// request takes a second longer than the one N sends before it.
    /// </summary>
    public static readonly TimeSpan TransitMargin = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A worker holds a concurrency slot while it waits for its turn, so only a short wait is worth it; anything
    /// longer is a deferral (the worker is freed and the mail comes back at its turn).
    /// </summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromSeconds(2);

    public static RateRules For(GraphMailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MessagesPerMinute);
        return new RateRules(TimeSpan.FromTicks((TimeSpan.FromMinutes(1) + TransitMargin).Ticks / options.MessagesPerMinute), DefaultMaxWait, options.RecipientsPerDay);
    }
}

internal enum RateVerdict
{
    /// <summary>Send at <see cref="RateDecision.At"/> (now or within the wait allowed).</summary>
    Go,

    /// <summary>Come back at <see cref="RateDecision.At"/>, the turn booked for this mail.</summary>
    Turn,

    /// <summary>The daily cap is reached: come back at <see cref="RateDecision.At"/>, when the window has room.</summary>
    LaterWindow,

    /// <summary>The mail alone has more recipients than the daily cap allows.</summary>
    Never,
}

internal readonly record struct RateDecision(RateVerdict Verdict, DateTimeOffset At)
{
    public bool ChangesState => Verdict is RateVerdict.Go or RateVerdict.Turn;
}
