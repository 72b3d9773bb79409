using Azure;
using Azure.Data.Tables;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>Every status change goes through the store and the status table: what it allows, what it refuses, what it records.</summary>
public sealed class AssignmentStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly DueOn = new(2026, 12, 24);

    private TableClient _table = null!;
    private AssignmentStore _store = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var storage = azurite.CreateStorage();
        _table = storage.GetTable(AssignmentStore.TableName);
        await _table.CreateIfNotExistsAsync(Token);
        await storage.GetTable(VendorCycleIndex.TableName).CreateIfNotExistsAsync(Token);
        _store = new AssignmentStore(storage);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<Assignment> CreateAsync(string status, DateTimeOffset? openedAt = null)
    {
        var assignment = new Assignment
        {
            Cycle = "c-store",
            VendorId = $"v-{Guid.NewGuid():N}"[..12],
            Kind = SurveyKinds.Annual,
            DueOn = DueOn,
            Status = status,
            InvitedAt = Now.AddDays(-30),
            OpenedAt = openedAt,
            CreatedAt = Now.AddDays(-31),
        };
        await _store.CreateManyAsync([assignment], Token);
        return assignment;
    }

    private async Task<ETag> StoredETagAsync(Assignment assignment) =>
        (await _table.GetEntityAsync<TableEntity>(assignment.Cycle, $"{assignment.VendorId}~{assignment.Kind}", cancellationToken: Token)).Value.ETag;

    [Fact]
    public async Task AcceptingAnAssignmentThatIsOnlyInvitedIsRefusedAndNothingIsWritten()
    {
        var invited = await CreateAsync(AssignmentStatus.Invited);
        var before = await StoredETagAsync(invited);

        var refusal = await Assert.ThrowsAsync<InvalidTransitionException>(() => _store.DecideAsync(invited.Key, AssignmentStatus.Accepted, null, "reviewer", Now, Token));

        Assert.Contains("from 'invited' to 'accepted'", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, await StoredETagAsync(invited));
    }

    [Theory]
    [InlineData(AssignmentStatus.Accepted)]
    [InlineData(AssignmentStatus.Cancelled)]
    public async Task MovingTheDueDateOfAFinishedAssignmentIsRefusedAndNothingIsWritten(string status)
    {
        var finished = await CreateAsync(status);
        var before = await StoredETagAsync(finished);

        await Assert.ThrowsAsync<InvalidTransitionException>(() => _store.MoveDueDateAsync(finished.Key, DueOn.AddDays(14), "more time", "admin", Now, Token));

        Assert.Equal(before, await StoredETagAsync(finished));
        Assert.Equal(DueOn, (await _store.FindAsync(finished.Key, Token))!.DueOn);
    }

    [Fact]
    public async Task ADecisionOnASubmissionNobodyReviewedYetRecordsTheReviewAndTheDecision()
    {
        var submitted = await CreateAsync(AssignmentStatus.Submitted);

        var decided = await _store.DecideAsync(submitted.Key, AssignmentStatus.ChangesRequested, "Add the revision date.", "reviewer", Now, Token);

        Assert.Equal((AssignmentStatus.ChangesRequested, "Add the revision date."), (decided!.Status, decided.ChangesRequestedMessage));
        Assert.Equal(
            [
                new StatusChange(AssignmentStatus.Submitted, AssignmentStatus.UnderReview, Now, "reviewer", null),
                new StatusChange(AssignmentStatus.UnderReview, AssignmentStatus.ChangesRequested, Now, "reviewer", "Add the revision date."),
            ],
            (await _store.FindAsync(submitted.Key, Token))!.History);
    }

    [Fact]
    public async Task DecidingTwiceIsRefused()
    {
        var submitted = await CreateAsync(AssignmentStatus.Submitted);
        await _store.DecideAsync(submitted.Key, AssignmentStatus.Accepted, null, "reviewer", Now, Token);

        await Assert.ThrowsAsync<InvalidTransitionException>(() => _store.DecideAsync(submitted.Key, AssignmentStatus.ChangesRequested, "Too late.", "reviewer", Now, Token));

        Assert.Equal(AssignmentStatus.Accepted, (await _store.FindAsync(submitted.Key, Token))!.Status);
    }

    [Theory]
    [InlineData(false, AssignmentStatus.Invited)]
    [InlineData(true, AssignmentStatus.Opened)]
    public async Task AnOverdueAssignmentGivenMoreTimeWaitsForTheVendorAgain(bool opened, string expected)
    {
        var overdue = await CreateAsync(AssignmentStatus.Overdue, opened ? Now.AddDays(-20) : null);

        var moved = await _store.MoveDueDateAsync(overdue.Key, DueOn.AddDays(14), "Vendor asked for two weeks", "admin", Now, Token);

        Assert.Equal((expected, DueOn.AddDays(14)), (moved!.Status, moved.DueOn));
        Assert.Equal(
            new StatusChange(AssignmentStatus.Overdue, expected, Now, "admin", "Due date 2026-12-24 → 2027-01-07: Vendor asked for two weeks"),
            Assert.Single(moved.History));
    }

    [Fact]
    public async Task ASubmissionAfterAChangesRequestIsAResubmissionRecordedOnce()
    {
        var reopened = await CreateAsync(AssignmentStatus.ChangesRequested);

        var recorded = await _store.RecordSubmissionAsync(reopened.Key, 2, "Sealed v2", Now, Token);
        var again = await _store.RecordSubmissionAsync(reopened.Key, 2, "Sealed v2", Now.AddMinutes(1), Token);

        Assert.Equal((AssignmentStatus.Resubmitted, 2), (recorded!.Status, recorded.SubmittedVersion));
        Assert.Equal(new StatusChange(AssignmentStatus.ChangesRequested, AssignmentStatus.Resubmitted, Now, "vendor", "Sealed v2"), Assert.Single(again!.History));
    }

    [Fact]
    public async Task AVersionSealedAfterCancellationIsRecordedWithoutMovingTheStatus()
    {
        var cancelled = await CreateAsync(AssignmentStatus.Cancelled);

        var recorded = await _store.RecordSubmissionAsync(cancelled.Key, 1, "Sealed v1", Now, Token);

        Assert.Equal((AssignmentStatus.Cancelled, 1), (recorded!.Status, recorded.SubmittedVersion));
        Assert.Empty(recorded.History);
    }

    [Fact]
    public async Task AVendorsSurveysAreFoundInEveryCycleItWasAskedInIncludingManagementChecksAndNotOthersOrOlderOnes()
    {
        var vendorId = $"v-{Guid.NewGuid():N}"[..12];
        var otherVendorId = vendorId + "x";
        static Assignment Survey(string cycle, string vendor, string kind, DateTimeOffset createdAt) => new()
        {
            Cycle = cycle,
            VendorId = vendor,
            Kind = kind,
            DueOn = DueOn,
            Status = AssignmentStatus.Invited,
            CreatedAt = createdAt,
        };
        await _store.CreateManyAsync(
            [
                Survey("2026-annual", vendorId, SurveyKinds.Annual, Now.AddDays(-60)),
                Survey("managed-2026-11-01", vendorId, SurveyKinds.Interim, Now.AddDays(-30)),
                Survey("2024-annual", vendorId, SurveyKinds.Annual, Now.AddMonths(-25)),
                Survey("2026-annual", otherVendorId, SurveyKinds.Annual, Now.AddDays(-60)),
            ],
            Token);

        var found = await _store.ListForVendorAsync(vendorId, Now.AddMonths(-13), Token);

        Assert.Equal(
            ["managed-2026-11-01", "2026-annual"],
            found.Select(survey => survey.Cycle).ToArray());
        Assert.All(found, survey => Assert.Equal(vendorId, survey.VendorId));
    }
}
