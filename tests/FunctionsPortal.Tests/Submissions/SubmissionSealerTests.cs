using System.Text;
using System.Text.Json.Nodes;
using FunctionsPortal.Responses;
using FunctionsPortal.Secrets;
using FunctionsPortal.Storage;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsPortal.Tests.Submissions;

public sealed class SubmissionSealerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly RotatingSigningKeys _keys = new();
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, configureServices: services =>
        {
            services.RemoveAll<ISigningKeys>();
            services.AddSingleton<ISigningKeys>(_keys);
        });
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<(InvitedVendor Invited, SealRequest Request)> ReadyToSealAsync()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        var draft = await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        var session = (await Services.GetRequiredService<VendorSessions>().LoadAsync(invited.Token, Token)).Session!;
        var request = new SealRequest(session.Assignment, draft, draft.Revision, session.Checklist, session.Profile, "株式会社テスト委託先", null,
            new Officer("受任 太郎", "取締役", "officer@vendor.example.jp"));
        return (invited, request);
    }

    private Task<SealOutcome> SealAsync(SealRequest request) => Services.GetRequiredService<SubmissionSealer>().SealAsync(request, Token);

    [Fact]
    public async Task ASealedSubmissionVerifiesAndRecordsItsScoreAndStatus()
    {
        var (invited, request) = await ReadyToSealAsync();

        var outcome = await SealAsync(request);
        var report = await Services.GetRequiredService<SubmissionVerifier>().VerifyStoredAsync(invited.Assignment.Key, 1, Token);
        var assignment = await Services.GetRequiredService<AssignmentStore>().FindAsync(invited.Assignment.Key, Token);
        var record = Assert.Single(await Services.GetRequiredService<SubmissionStore>().ListAsync(invited.Assignment.Key, Token));

        Assert.Equal(SealStatus.Sealed, outcome.Status);
        Assert.True(report.Valid, string.Join("; ", report.Checks.Where(check => !check.Passed).Select(check => check.Detail)));
        Assert.Contains(report.Checks, check => check.Check == "evidence");
        Assert.Equal(_keys.CurrentVersion, outcome.Envelope!.Signature.KeyVersion);
        Assert.Equal((AssignmentStatus.Submitted, 1), (assignment!.Status, assignment.SubmittedVersion));
        Assert.Equal(outcome.Envelope.Sha256, record.Sha256);
        Assert.Equal("passed", record.Verdict);
        Assert.Equal(100m, record.Percentage);
    }

    [Fact]
    public async Task ChangingAnAnswerInTheReceiptBreaksTheHashAndSignature()
    {
        var (invited, request) = await ReadyToSealAsync();
        await SealAsync(request);
        var receipt = (await Services.GetRequiredService<SubmissionStore>().ReadSealedAsync(invited.Assignment.Key, 1, Token))!;
        var tampered = JsonNode.Parse(receipt)!;
        tampered["payload"]!["answers"]!["GOV-03"]!["status"] = "partial";

        var report = await Services.GetRequiredService<SubmissionVerifier>().VerifyAsync(Encoding.UTF8.GetBytes(tampered.ToJsonString()), Token);

        Assert.False(report.Valid);
        Assert.False(report.Checks.Single(check => check.Check == "hash").Passed);
        Assert.False(report.Checks.Single(check => check.Check == "signature").Passed);
    }

    [Fact]
    public async Task ASealedBlobRewrittenAndReSignedWithTheKeyFailsAgainstTheHashRecordedAtSealing()
    {
        var (invited, request) = await ReadyToSealAsync();
        var original = (await SealAsync(request)).Envelope!;
        var store = Services.GetRequiredService<SubmissionStore>();
        var receipt = (await store.ReadSealedAsync(invited.Assignment.Key, 1, Token))!;

        // Someone holding the signing key (the public development key, say) rewrites the sealed blob consistently.
        var forged = JsonNode.Parse(receipt)!;
        forged["payload"]!["answers"]!["GOV-03"]!["status"] = "partial";
        var canonical = CanonicalJson.Serialize(forged["payload"]!);
        var key = (await _keys.GetAsync(Token)).Current;
        forged["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(canonical));
        forged["signature"]!["value"] = SealKeys.Sign(key, canonical);
        var blob = Services.GetRequiredService<PortalStorage>().GetContainer(SubmissionStore.SealedContainer).GetBlobClient(SubmissionStore.SealedBlobName(invited.Assignment.Key, 1));
        await blob.UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(forged.ToJsonString())), overwrite: true, Token);

        var verifier = Services.GetRequiredService<SubmissionVerifier>();
        var stored = await verifier.VerifyStoredAsync(invited.Assignment.Key, 1, Token);
        var vendorsReceipt = await verifier.VerifyAsync(receipt, Token);
        var reRecorded = await store.RecordAsync((await store.FindRecordAsync(invited.Assignment.Key, 1, Token))! with { Sha256 = (string)forged["sha256"]! }, null, Token);

        Assert.False(stored.Valid);
        Assert.True(stored.Checks.Single(check => check.Check == "hash").Passed);
        Assert.True(stored.Checks.Single(check => check.Check == "signature").Passed);
        Assert.Contains(stored.Checks, check => check.Check == "recorded" && !check.Passed && check.Detail.Contains(original.Sha256, StringComparison.Ordinal));
        Assert.False(vendorsReceipt.Valid);
        Assert.False(vendorsReceipt.Checks.Single(check => check.Check == "stored").Passed);
        Assert.True(vendorsReceipt.Checks.Single(check => check.Check == "recorded").Passed);
        Assert.False(reRecorded);
        Assert.Equal(original.Sha256, (await store.FindRecordAsync(invited.Assignment.Key, 1, Token))!.Sha256);
    }

    [Fact]
    public async Task AnEvidenceFileChangedInStorageFailsVerification()
    {
        var (invited, request) = await ReadyToSealAsync();
        var outcome = await SealAsync(request);
        var file = outcome.Envelope!.Payload.Evidence[0];
        var blob = Services.GetRequiredService<PortalStorage>().GetContainer("evidence").GetBlobClient(file.BlobName);
        await blob.UploadAsync(new BinaryData(SurveyScenario.Pdf("swapped")), overwrite: true, Token);

        var report = await Services.GetRequiredService<SubmissionVerifier>().VerifyStoredAsync(invited.Assignment.Key, 1, Token);

        Assert.False(report.Valid);
        Assert.True(report.Checks.Single(check => check.Check == "hash").Passed);
        Assert.Contains(report.Checks, check => check.Check == "evidence" && !check.Passed && check.Detail.Contains(file.FileName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSameDraftSubmittedTwiceAtOnceIsOneSealedVersion()
    {
        var (invited, request) = await ReadyToSealAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SealAsync(request)));
        var again = await SealAsync(request);
        var versions = await Services.GetRequiredService<SubmissionStore>().SealedVersionsAsync(invited.Assignment.Key, Token);

        Assert.Equal([1], versions);
        Assert.All(outcomes, outcome => Assert.Contains(outcome.Status, new[] { SealStatus.Sealed, SealStatus.AlreadySealed }));
        Assert.Single(outcomes.Select(outcome => outcome.Envelope!.Sha256).Distinct());
        Assert.Equal((SealStatus.AlreadySealed, outcomes[0].Envelope!.Sha256), (again.Status, again.Envelope!.Sha256));
    }

    [Fact]
    public async Task ASealWhoseBookkeepingWasInterruptedIsCompletedLater()
    {
        var (invited, request) = await ReadyToSealAsync();
        await SealAsync(request);
        // Simulate a stop right after the blob write: the index row is gone and the status never moved.
        await Services.GetRequiredService<PortalStorage>().GetTable(SubmissionStore.TableName).DeleteEntityAsync(invited.Assignment.Key, "v0001", cancellationToken: Token);
        await Services.GetRequiredService<AssignmentStore>().UpdateAsync(invited.Assignment.Key, current => current with { Status = AssignmentStatus.InProgress, SubmittedVersion = null }, Token);
        var stale = await Services.GetRequiredService<AssignmentStore>().FindAsync(invited.Assignment.Key, Token);

        await Services.GetRequiredService<SubmissionSealer>().EnsureRecordedAsync(stale!, request.Checklist, request.Profile, Token);

        var assignment = await Services.GetRequiredService<AssignmentStore>().FindAsync(invited.Assignment.Key, Token);
        Assert.Equal((AssignmentStatus.Submitted, 1), (assignment!.Status, assignment.SubmittedVersion));
        Assert.Single(await Services.GetRequiredService<SubmissionStore>().ListAsync(invited.Assignment.Key, Token));
    }

    [Fact]
    public async Task AReceiptSignedBeforeAKeyRotationStillVerifies()
    {
        var (invited, request) = await ReadyToSealAsync();
        var outcome = await SealAsync(request);
        var oldVersion = _keys.CurrentVersion;

        _keys.Rotate();
        var report = await Services.GetRequiredService<SubmissionVerifier>().VerifyStoredAsync(invited.Assignment.Key, 1, Token);

        Assert.Equal(oldVersion, outcome.Envelope!.Signature.KeyVersion);
        Assert.NotEqual(oldVersion, _keys.CurrentVersion);
        Assert.True(report.Valid);
    }
}
