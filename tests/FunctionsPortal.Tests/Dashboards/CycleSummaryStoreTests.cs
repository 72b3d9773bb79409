using System.Text.Json;
using FunctionsPortal.Dashboards;
using FunctionsPortal.Storage;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Dashboards;

/// <summary>The cycle summary follows every stored change of its assignments, exactly, and a rebuild gives the same figures.</summary>
public sealed class CycleSummaryStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly AssignmentSegment Segment = new("high", "call-centre", "owner@our-company.example.jp", "担当 花子");

    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    private AssignmentStore Assignments => Services.GetRequiredService<AssignmentStore>();

    private CycleSummaryStore Summaries => Services.GetRequiredService<CycleSummaryStore>();

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string NewCycle() => "c" + Guid.NewGuid().ToString("N")[..8];

    private async Task<BucketTotals> TotalsAsync(string cycle) => BucketTotals.Sum((await Summaries.FiguresAsync(cycle, Token)).Select(bucket => bucket.Totals));

    private static Assignment New(string cycle, string vendorId, string status = AssignmentStatus.Invited, AssignmentSegment? segment = null) => new()
    {
        Cycle = cycle,
        VendorId = vendorId,
        Kind = SurveyKinds.Annual,
        DueOn = new DateOnly(2026, 12, 24),
        Status = status,
        CreatedAt = DateTimeOffset.UtcNow,
        Segment = segment ?? Segment,
    };

    [Fact]
    public async Task TheSummaryFollowsCreateInviteSubmitAcceptAndCancel()
    {
        var cycle = NewCycle();
        await Assignments.CreateManyAsync([New(cycle, "va", AssignmentStatus.Scheduled), New(cycle, "vb", AssignmentStatus.Scheduled), New(cycle, "vc", AssignmentStatus.Scheduled)], Token);
        var created = await TotalsAsync(cycle);
        var now = DateTimeOffset.UtcNow;
        await Assignments.TransitionAsync(AssignmentKey.For(cycle, "va", SurveyKinds.Annual), AssignmentStatus.Invited, "mail", null, now, Token);
        await Assignments.TransitionAsync(AssignmentKey.For(cycle, "vb", SurveyKinds.Annual), AssignmentStatus.Invited, "mail", null, now, Token);
        await Assignments.RecordSubmissionAsync(AssignmentKey.For(cycle, "va", SurveyKinds.Annual), 1, "sealed", now, Token);
        var submitted = await TotalsAsync(cycle);
        await Assignments.DecideAsync(AssignmentKey.For(cycle, "va", SurveyKinds.Annual), AssignmentStatus.Accepted, null, "reviewer", now, Token);
        await Assignments.TransitionAsync(AssignmentKey.For(cycle, "vc", SurveyKinds.Annual), AssignmentStatus.Cancelled, "staff", "no longer a vendor", now, Token);
        var decided = await TotalsAsync(cycle);

        Assert.Equal(new Dictionary<string, int> { [AssignmentStatus.Scheduled] = 3 }, created.Statuses);
        Assert.Equal(new Dictionary<string, int> { [AssignmentStatus.Submitted] = 1, [AssignmentStatus.Invited] = 1, [AssignmentStatus.Scheduled] = 1 }, submitted.Statuses);
        Assert.Equal(new Dictionary<string, int> { [AssignmentStatus.Accepted] = 1, [AssignmentStatus.Invited] = 1, [AssignmentStatus.Cancelled] = 1 }, decided.Statuses);
        Assert.Contains(await Summaries.CyclesAsync(Token), info => info.Id == cycle);
    }

    [Fact]
    public async Task AnUnchangedBucketRowIsParsedOnceAndAChangedOneAgain()
    {
        var cycle = NewCycle();
        var other = Segment with { Tier = "low" };
        await Assignments.CreateManyAsync([New(cycle, "va", AssignmentStatus.Scheduled), New(cycle, "vb", AssignmentStatus.Scheduled, other)], Token);
        var (first, firstTrips) = await Summaries.FiguresWithinAsync(cycle, 2, Token);
        var (again, againTrips) = await Summaries.FiguresWithinAsync(cycle, 2, Token);
        await Assignments.TransitionAsync(AssignmentKey.For(cycle, "va", SurveyKinds.Annual), AssignmentStatus.Invited, "mail", null, DateTimeOffset.UtcNow, Token);
        var (changed, changedTrips) = await Summaries.FiguresWithinAsync(cycle, 2, Token);
        await Assignments.TransitionAsync(AssignmentKey.For(cycle, "va", SurveyKinds.Annual), AssignmentStatus.Cancelled, "staff", "test", DateTimeOffset.UtcNow, Token);
        var (oneTrip, oneTripTrips) = await Summaries.FiguresWithinAsync(cycle, 1, Token);

        BucketFigures Of(IReadOnlyList<BucketFigures> figures, string tier) => figures.Single(bucket => bucket.Bucket.Tier == tier);
        Assert.Same(Of(first, "high"), Of(again, "high"));
        Assert.Same(Of(first, "low"), Of(changed, "low"));
        Assert.NotSame(Of(first, "high"), Of(changed, "high"));
        Assert.Equal(new Dictionary<string, int> { [AssignmentStatus.Invited] = 1 }, Of(changed, "high").Totals.Statuses);
        Assert.Equal(new Dictionary<string, int> { [AssignmentStatus.Scheduled] = 1 }, Of(first, "high").Totals.Statuses);
        Assert.Equal([1, 1, 2, 1], new[] { firstTrips, againTrips, changedTrips, oneTripTrips });
        Assert.Equal(new Dictionary<string, int> { [AssignmentStatus.Cancelled] = 1 }, Of(oneTrip, "high").Totals.Statuses);
    }

    [Fact]
    public async Task ASealedSubmissionsGradeVerdictAndSectionsAreCountedAndItWaitsForReview()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(Services, invited, Token)).Status);

        var figures = Assert.Single(await Summaries.FiguresAsync(invited.Assignment.Cycle, Token));
        var stored = await Assignments.FindAsync(invited.Assignment.Key, Token);

        Assert.Equal("A", stored!.Score!.Grade);
        Assert.Equal(1, figures.Totals.Grades["A"]);
        Assert.Equal(1, figures.Totals.Verdicts[stored.Score.Verdict]);
        Assert.Equal(1, figures.Totals.Scored);
        Assert.Equal(stored.Score.Percentage, figures.Totals.ScoreSum);
        Assert.NotEmpty(figures.Totals.Sections);
        Assert.All(figures.Totals.Sections.Values, section => Assert.NotEqual(section.TitleJa, section.TitleEn));
        Assert.Equal("A", figures.Grades[invited.VendorId].Grade);
        Assert.Contains(figures.Actions, action => action.Kind == ActionKind.Review && action.Entry == $"{invited.VendorId}~{SurveyKinds.Annual}");
        // The vendor's record decided the bucket (the test created the assignment without one).
        Assert.Equal(("bpo", "owner@our-company.example.jp"), (figures.Bucket.Category, figures.Bucket.OwnerEmail));
    }

    [Fact]
    public async Task ARebuildGivesTheSameFiguresAsTheIncrementalUpdatesAndHealsDrift()
    {
        var cycle = NewCycle();
        var other = Segment with { Tier = "low", OwnerEmail = "second@our-company.example.jp", OwnerName = "担当 次郎" };
        await Assignments.CreateManyAsync([.. Enumerable.Range(0, 12).Select(index => New(cycle, $"v{index:00}", segment: index % 3 == 0 ? other : Segment))], Token);
        var now = DateTimeOffset.UtcNow;
        for (var index = 0; index < 12; index += 2)
        {
            await Assignments.TransitionAsync(AssignmentKey.For(cycle, $"v{index:00}", SurveyKinds.Annual), AssignmentStatus.Overdue, "reminders", null, now, Token);
        }

        await Assignments.RecordSubmissionAsync(AssignmentKey.For(cycle, "v01", SurveyKinds.Annual), 1, "sealed", now, Token,
            new AssignmentScore(1, "needs-correction", 55m, "D", true, [new SectionPercentage("GOV", "体制", "Governance", 40m)]));
        await Assignments.UpdateAsync(AssignmentKey.For(cycle, "v05", SurveyKinds.Annual), current => current with { RecipientProblem = "bounced" }, Token);
        var incremental = await SnapshotAsync(cycle);

        var unchanged = await Services.GetRequiredService<SummaryRebuilder>().RebuildAsync(cycle, Token);
        // Drift: a crash lost a bucket's updates (here: the whole low-tier row) and another row went stale.
        var table = Services.GetRequiredService<PortalStorage>().GetTable(CycleSummaryStore.TableName);
        var lost = new SummaryBucket(other.Tier, other.Category, other.OwnerEmail, other.OwnerName);
        await table.DeleteEntityAsync(cycle, lost.RowKey, cancellationToken: Token);
        await table.DeleteEntityAsync(cycle, lost.EntriesRowKey, cancellationToken: Token);
        var high = (await Summaries.BucketsAsync(cycle, Token)).Single(row => row.Summary.Bucket.Tier == Segment.Tier);
        Assert.True(await Summaries.TryWriteAsync(cycle, StaleCopy(high.Summary), high.ETags, Token));
        var drifted = await SnapshotAsync(cycle);
        var healed = await Services.GetRequiredService<SummaryRebuilder>().RebuildAsync(cycle, Token);
        var rebuilt = await SnapshotAsync(cycle);

        Assert.Equal(0, unchanged);
        Assert.NotEqual(incremental, drifted);
        Assert.Equal(2, healed);
        Assert.Equal(incremental, rebuilt);
        var totals = await TotalsAsync(cycle);
        Assert.Equal(6, totals.Statuses[AssignmentStatus.Overdue]);
        Assert.Equal(1, totals.Grades["D"]);
        Assert.Contains((await Summaries.FiguresAsync(cycle, Token)).SelectMany(bucket => bucket.Actions), action => action.Kind == ActionKind.Unreachable && action.Entry.StartsWith("v05", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConcurrentStatusChangesInOneBucketKeepTheCountsExact()
    {
        var cycle = NewCycle();
        var vendors = Enumerable.Range(0, 24).Select(index => $"w{index:00}").ToList();
        await Assignments.CreateManyAsync([.. vendors.Select(vendor => New(cycle, vendor))], Token);

        await Parallel.ForEachAsync(vendors, new ParallelOptions { MaxDegreeOfParallelism = 12, CancellationToken = Token }, async (vendor, cancellationToken) =>
        {
            var key = AssignmentKey.For(cycle, vendor, SurveyKinds.Annual);
            await Assignments.TransitionAsync(key, AssignmentStatus.Opened, "vendor", null, DateTimeOffset.UtcNow, cancellationToken);
            await Assignments.TransitionAsync(key, AssignmentStatus.InProgress, "vendor", null, DateTimeOffset.UtcNow, cancellationToken);
        });
        var totals = await TotalsAsync(cycle);

        Assert.Equal(new Dictionary<string, int> { [AssignmentStatus.InProgress] = 24 }, totals.Statuses);
    }

    [Fact]
    public async Task ManyWritersOfOneBucketAtOnceNeverFailEachOtherAndTheCountsStayExact()
    {
        var cycle = NewCycle();
        var vendors = Enumerable.Range(0, 48).Select(index => $"m{index:00}").ToList();
        await Assignments.CreateManyAsync([.. vendors.Select(vendor => New(cycle, vendor, AssignmentStatus.Scheduled))], Token);

        // As many writers as the poller runs messages at once, all on one bucket: each change lands (no give-up, no exception).
        await Parallel.ForEachAsync(vendors, new ParallelOptions { MaxDegreeOfParallelism = 24, CancellationToken = Token }, async (vendor, cancellationToken) =>
            await Assignments.TransitionAsync(AssignmentKey.For(cycle, vendor, SurveyKinds.Annual), AssignmentStatus.Invited, "mail", null, DateTimeOffset.UtcNow, cancellationToken));

        Assert.Equal(new Dictionary<string, int> { [AssignmentStatus.Invited] = 48 }, (await TotalsAsync(cycle)).Statuses);
        Assert.DoesNotContain(_app.Logs.GetSnapshot(), record => record.Message.Contains("kept changing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASegmentTooLargeForOneBucketRowIsCountedInShardsThatAddUp()
    {
        var cycle = NewCycle();
        var count = AssignmentStore.SummaryShardSize + 200;
        await Assignments.CreateManyAsync([.. Enumerable.Range(0, count).Select(index => New(cycle, $"s{index:0000}", AssignmentStatus.Scheduled))], Token);
        await Assignments.TransitionAsync(AssignmentKey.For(cycle, "s0000", SurveyKinds.Annual), AssignmentStatus.Invited, "mail", null, DateTimeOffset.UtcNow, Token);
        await Assignments.TransitionAsync(AssignmentKey.For(cycle, $"s{count - 1:0000}", SurveyKinds.Annual), AssignmentStatus.Invited, "mail", null, DateTimeOffset.UtcNow, Token);

        var figures = await Summaries.FiguresAsync(cycle, Token);
        Assert.Equal(2, figures.Count); // two shards of one segment
        Assert.Single(figures.Select(bucket => bucket.Bucket with { Shard = 0 }).Distinct());
        Assert.Equal(new Dictionary<string, int> { [AssignmentStatus.Scheduled] = count - 2, [AssignmentStatus.Invited] = 2 }, (await TotalsAsync(cycle)).Statuses);
        Assert.Equal(0, await Services.GetRequiredService<SummaryRebuilder>().RebuildAsync(cycle, Token)); // the shards are exact
    }

    [Fact]
    public async Task AnOlderOrRepeatedChangeNeverOverwritesANewerOne()
    {
        var cycle = NewCycle();
        var created = (await Assignments.CreateManyAsync([New(cycle, "vz")], Token)).Single();
        var opened = await Assignments.TransitionAsync(created.Key, AssignmentStatus.Opened, "vendor", null, DateTimeOffset.UtcNow, Token);

        await Summaries.ChangedAsync([created, opened!, created], Token); // delivered late, twice, out of order

        Assert.Equal(new Dictionary<string, int> { [AssignmentStatus.Opened] = 1 }, (await TotalsAsync(cycle)).Statuses);
    }

    private async Task<string> SnapshotAsync(string cycle) =>
        JsonSerializer.Serialize((await Summaries.BucketsAsync(cycle, Token)).OrderBy(row => row.Summary.Bucket.RowKey, StringComparer.Ordinal)
            .Select(row => new { row.Summary.Bucket, Entries = row.Summary.Entries.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList(), Totals = row.Summary.Totals() }));

    /// <summary>The high-tier bucket as if an update had been lost: v02 still counted as invited.</summary>
    private static BucketSummary StaleCopy(BucketSummary held)
    {
        var stale = new BucketSummary(held.Bucket) { Entries = new(held.Entries, StringComparer.Ordinal), SectionTitles = held.SectionTitles };
        stale.Entries["v02~annual"] = stale.Entries["v02~annual"] with { Status = AssignmentStatus.Invited, Revision = 0 };
        return stale;
    }
}
