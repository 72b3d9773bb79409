using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Table "periodclaims": which assignment holds a vendor's plan period for its one periodic (annual or interim) survey
/// (decision 010). PartitionKey = the period's first month (yyyy-MM), so a campaign's vendors share a few partitions
/// and are claimed 100 to a transaction; RowKey = vendor id; Owner = the holding assignment's key. A claim is added
/// before its assignment is created and never overwritten blindly, so of two creators racing (planner and launch, two
/// instances) exactly one gets the period. The owner asking again gets it again; a claim whose owner was cancelled is
/// taken over under its ETag (Replaces keeps the cancelled owner's key).
/// </summary>
public sealed class PeriodClaims(PortalStorage storage, AssignmentStore assignments)
{
    public const string TableName = "periodclaims";
    private const int MaxAttempts = 5;

    private TableClient Table => storage.GetTable(TableName);

    /// <summary>
    /// Who already holds each wanted period, by the wanting assignment's key; a claim missing from the answer is free,
    /// its own, or freed by a cancelled holder. Nothing is written. <paramref name="known"/>: assignments the caller
    /// has just read, which are not read again.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, SurveyedBy>> HeldAsync(
        IReadOnlyList<PeriodClaim> wanted, IReadOnlyDictionary<string, Assignment> known, CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, SurveyedBy>(StringComparer.Ordinal);
        foreach (var (claim, standing) in await StandingsAsync(wanted, known, cancellationToken))
        {
            if (standing.HeldBy is { } holder)
            {
                held[claim.Assignment.Key] = holder;
            }
        }

        return held;
    }

    /// <summary>
    /// Claims each wanted period for its assignment; returns the claims refused, by the assignment's key, with who
    /// holds the period. When one call wants the same vendor's period twice (its tier plan and a campaign), the first
    /// listed claims it and the other is refused in its favour — unless the other already holds it.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, SurveyedBy>> ClaimAsync(
        IReadOnlyList<PeriodClaim> wanted, IReadOnlyDictionary<string, Assignment> known, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var firsts = wanted.DistinctBy(Slot).ToDictionary(Slot);
        var refused = new Dictionary<string, SurveyedBy>(StringComparer.Ordinal);
        var free = new List<PeriodClaim>();
        foreach (var (claim, standing) in await StandingsAsync([.. firsts.Values], known, cancellationToken))
        {
            if (standing.Row is null)
            {
                free.Add(claim);
            }
            else if (await ClaimOneAsync(claim, standing, known, cancellationToken) is { } holder)
            {
                refused[claim.Assignment.Key] = holder;
            }
        }

        foreach (var chunk in free.GroupBy(claim => claim.Period.Id, StringComparer.Ordinal).SelectMany(period => period.Chunk(TableBatch.MaxOperations)))
        {
            try
            {
                await Table.SubmitCheckedTransactionAsync(chunk.Select(claim => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(claim, replacing: null))).ToList(), cancellationToken);
            }
            catch (TableTransactionFailedException exception) when (exception.Status == 409)
            {
                // Someone claimed some of these since they were read: one by one, so the others are still claimed.
                foreach (var claim in chunk)
                {
                    if (await ClaimOneAsync(claim, seen: null, known, cancellationToken) is { } holder)
                    {
                        refused[claim.Assignment.Key] = holder;
                    }
                }
            }
        }

        foreach (var repeat in wanted.Where(claim => firsts[Slot(claim)].Assignment.Key != claim.Assignment.Key))
        {
            // The first was judged against the same row: the repeat holds it only if it is the holder the first met.
            var first = firsts[Slot(repeat)];
            var holder = refused.GetValueOrDefault(first.Assignment.Key) ?? SurveyedBy.Of(first.Assignment.Key, first.Assignment, first.Period);
            if (holder.Key != repeat.Assignment.Key)
            {
                refused[repeat.Assignment.Key] = holder;
            }
        }

        return refused;
    }

    private static (string Period, string VendorId) Slot(PeriodClaim claim) => (claim.Period.Id, claim.Assignment.VendorId);

    /// <summary>One claim, also against racers: add it, or judge the row there and take it over from a cancelled owner.</summary>
    private async Task<SurveyedBy?> ClaimOneAsync(PeriodClaim claim, Standing? seen, IReadOnlyDictionary<string, Assignment> known, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var standing = seen ?? await AddOrJudgeAsync(claim, known, cancellationToken);
            seen = null;
            if (!standing.Freed)
            {
                return standing.HeldBy;
            }

            try
            {
                await Table.ReplaceIfUnchangedAsync(ToEntity(claim, standing.Row), cancellationToken);
                return null;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another claimant took it over first: read again to see whom it went to.
            }
        }
    }

    /// <summary>Adds the claim (then it is ours), or reads the row in the way and judges it.</summary>
    private async Task<Standing> AddOrJudgeAsync(PeriodClaim claim, IReadOnlyDictionary<string, Assignment> known, CancellationToken cancellationToken)
    {
        if (await Table.TryAddAsync(ToEntity(claim, replacing: null), cancellationToken))
        {
            return default;
        }

        // Claims are never deleted: the row that refused the add is there to read.
        var row = (await Table.GetEntityAsync<TableEntity>(claim.Period.Id, claim.Assignment.VendorId, cancellationToken: cancellationToken)).Value;
        var owner = row.GetString("Owner");
        var holder = owner == claim.Assignment.Key ? null : known.GetValueOrDefault(owner) ?? await assignments.FindAsync(owner, cancellationToken);
        return Judge(claim, row, holder);
    }

    /// <summary>The wanted claims' rows, a few point reads or one query per period, and their owners, unless known.</summary>
    private async Task<List<(PeriodClaim Claim, Standing Standing)>> StandingsAsync(
        IReadOnlyList<PeriodClaim> wanted, IReadOnlyDictionary<string, Assignment> known, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(known);
        var rows = new Dictionary<(string Period, string VendorId), TableEntity>();
        foreach (var period in wanted.GroupBy(claim => claim.Period.Id, StringComparer.Ordinal))
        {
            foreach (var (vendorId, row) in await Table.ReadManyAsync(period.Key, period.Select(claim => claim.Assignment.VendorId).ToList(), cancellationToken))
            {
                rows[(period.Key, vendorId)] = row;
            }
        }

        var wanting = wanted.Select(claim => claim.Assignment.Key).ToHashSet(StringComparer.Ordinal);
        var owners = rows.Values.Select(row => row.GetString("Owner")).Where(owner => !wanting.Contains(owner) && !known.ContainsKey(owner)).Distinct(StringComparer.Ordinal);
        var found = await assignments.FindManyAsync(owners, cancellationToken);
        return wanted.Select(claim =>
        {
            var row = rows.GetValueOrDefault(Slot(claim));
            var owner = row?.GetString("Owner") ?? "";
            return (claim, Judge(claim, row, known.GetValueOrDefault(owner) ?? found.GetValueOrDefault(owner)));
        }).ToList();
    }

    /// <summary>Where a claim stands given the row in its place and that row's owner (null: not created yet).</summary>
    private static Standing Judge(PeriodClaim claim, TableEntity? row, Assignment? holder)
    {
        var owner = row?.GetString("Owner");
        if (row is null || owner == claim.Assignment.Key)
        {
            return new Standing(row, HeldBy: null, Freed: false);
        }

        // A claim whose assignment is not there yet still holds: its creator may be between the two writes.
        return holder?.Status == AssignmentStatus.Cancelled
            ? new Standing(row, HeldBy: null, Freed: true)
            : new Standing(row, SurveyedBy.Of(owner!, holder, claim.Period), Freed: false);
    }

    private static TableEntity ToEntity(PeriodClaim claim, TableEntity? replacing) => new(claim.Period.Id, claim.Assignment.VendorId)
    {
        ["Owner"] = claim.Assignment.Key,
        ["Replaces"] = replacing?.GetString("Owner"),
        ETag = replacing?.ETag ?? default,
    };

    /// <summary>Row null: no claim yet. HeldBy: another survey holds the period. Freed: its holder was cancelled.</summary>
    private readonly record struct Standing(TableEntity? Row, SurveyedBy? HeldBy, bool Freed);
}

/// <summary>An assignment that wants its vendor's plan period.</summary>
public sealed record PeriodClaim(PlanPeriod Period, Assignment Assignment);

/// <summary>
/// The survey that already holds a vendor's plan period — "already surveyed by …": its assignment key, cycle and kind,
/// the period (first and last day) and, once it exists, its due date and status (null while it is being created).
/// </summary>
public sealed record SurveyedBy(string Key, string Cycle, string Kind, DateOnly PeriodFrom, DateOnly PeriodTo, DateOnly? DueOn, string? Status)
{
    internal static SurveyedBy Of(string key, Assignment? holder, PlanPeriod period)
    {
        var parts = AssignmentKey.Parse(key);
        return new SurveyedBy(key, parts?.Cycle ?? "", parts?.Kind ?? "", period.Start, period.End.AddDays(-1), holder?.DueOn, holder?.Status);
    }
}
