using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using FunctionsPortal.Audit;
using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using FunctionsPortal.Scoring;
using FunctionsPortal.Secrets;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.Submissions;

/// <summary>
/// Turns a reviewed draft into a sealed version: canonical JSON of everything attested, its SHA-256, an HMAC with
/// the current Key Vault key (its version recorded), one write-once blob — then the score, the index row and the
/// assignment's status. The blob write is the single commit point: a crash before it leaves nothing sealed, a crash
/// after it leaves a complete sealed record whose bookkeeping <see cref="EnsureRecordedAsync"/> finishes later.
/// The request that wrote the blob records the seal in the vendor's audit chain.
/// </summary>
public sealed partial class SubmissionSealer(
    SubmissionStore store, AssignmentStore assignments, ISigningKeys keys, AuditTrail audit, TimeProvider timeProvider, ILogger<SubmissionSealer> logger,
    IEnumerable<ISealedSubmissionSink>? sinks = null, VendorStamps? vendorStamps = null)
{
    private const int MaxLastCycles = 1_000;

    /// <summary>
    /// Last cycle's envelopes as the section pages show them, by assignment and version: a sealed version is a write-once
    /// blob, so any instance may keep it (which version is the latest is still read every time; verification never uses this).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string AssignmentKey, int Version), SealedEnvelope> _lastCycles = new();

    /// <summary>
    /// Which sealed version is an assignment's last cycle, as of its <see cref="Assignment.VendorStamp"/>: a seal of any of
    /// the vendor's surveys gives all of them a new stamp (see <see cref="RecordAsync"/>), so a kept answer is never stale.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string? Stamp, DateTimeOffset ReadAt, (string AssignmentKey, int Version)? Latest)> _lastCycleOf =
        new(StringComparer.Ordinal);

    public async Task<SealOutcome> SealAsync(SealRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = request.Assignment.Key;
        var versions = await store.SealedVersionsAsync(key, cancellationToken);
        var latest = versions.Count == 0 ? null : await ReadAsync(key, versions[^1], cancellationToken);
        if (latest?.Payload.DraftRevision == request.ReviewedRevision)
        {
            // The same draft submitted again (a second tab, a double click, a retry): the same sealed version.
            await NotifyAsync(latest, await RecordAsync(latest, request.Checklist, request.Profile, cancellationToken), cancellationToken);
            return new SealOutcome(SealStatus.AlreadySealed, latest);
        }

        // The caller's copy of the assignment may be stale (a second click racing the first): decide on a fresh read.
        // After a first version, only a reviewer's request for changes opens the next one.
        var current = await assignments.FindAsync(key, cancellationToken) ?? request.Assignment;
        if (!AssignmentStatus.AcceptsSubmission(current.Status) || (latest is not null && current.Status != AssignmentStatus.ChangesRequested))
        {
            return new SealOutcome(SealStatus.NotOpen, latest);
        }

        var version = versions.Count == 0 ? 1 : versions[^1] + 1;
        var previousSha = latest?.Sha256;
        var payload = BuildPayload(request, version, previousSha);
        var canonical = CanonicalJson.Serialize(JsonSerializer.SerializeToNode(payload, SubmissionStore.Json)!);
        var signingKey = (await keys.GetAsync(cancellationToken)).Current;
        var envelope = new SealedEnvelope(payload, Convert.ToHexStringLower(SHA256.HashData(canonical)), new SealSignature(SealKeys.Algorithm, signingKey.Version, SealKeys.Sign(signingKey, canonical)));

        var wrote = await store.TryWriteSealedAsync(key, version, JsonSerializer.SerializeToUtf8Bytes(envelope, SubmissionStore.Json), cancellationToken);
        if (!wrote)
        {
            var winner = await ReadAsync(key, version, cancellationToken);
            if (winner.Payload.DraftRevision != request.ReviewedRevision)
            {
                return new SealOutcome(SealStatus.Conflict, winner);
            }

            envelope = winner;
        }
        else
        {
            LogSealed(key, version, envelope.Sha256, signingKey.Version);
        }

        var score = await RecordAsync(envelope, request.Checklist, request.Profile, cancellationToken);
        if (wrote)
        {
            // Only the writer of the blob records it: a racing request for the same draft sealed nothing new.
            await audit.AppendAsync(new AuditEntry(request.Assignment.VendorId, AuditActions.SubmissionSealed, $"vendor:{key}", key, After: new
            {
                version, sha256 = envelope.Sha256, keyVersion = signingKey.Version, officer = request.Officer.Name,
            }), cancellationToken);
        }

        await NotifyAsync(envelope, score, cancellationToken);
        return new SealOutcome(SealStatus.Sealed, envelope);
    }

    // After the bookkeeping, on every path that reaches a sealed version (the sinks are idempotent).
    private async Task NotifyAsync(SealedEnvelope envelope, ScoreResult? score, CancellationToken cancellationToken)
    {
        foreach (var sink in sinks ?? [])
        {
            await sink.SealedAsync(envelope, score, cancellationToken);
        }
    }

    /// <summary>
    /// Finishes the bookkeeping of any sealed version whose index row or status update was interrupted; true when
    /// there was some (the assignment changed). Costs one blob listing when nothing was ever sealed.
    /// </summary>
    public async Task<bool> EnsureRecordedAsync(Assignment assignment, ResolvedChecklist? checklist, VendorProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var versions = await store.SealedVersionsAsync(assignment.Key, cancellationToken);
        if (versions.Count == 0)
        {
            return false;
        }

        var recorded = (await store.ListAsync(assignment.Key, cancellationToken)).Select(record => record.Version).ToHashSet();
        var unfinished = versions.Where(version => !recorded.Contains(version) || version > (assignment.SubmittedVersion ?? 0)).ToList();
        foreach (var version in unfinished)
        {
            await RecordAsync(await ReadAsync(assignment.Key, version, cancellationToken), checklist, profile, cancellationToken);
        }

        return unfinished.Count > 0;
    }

    public async Task<SealedEnvelope> ReadAsync(string assignmentKey, int version, CancellationToken cancellationToken) =>
        await FindAsync(assignmentKey, version, cancellationToken)
            ?? throw new InvalidOperationException($"Sealed version {version} of {assignmentKey} does not exist.");

    /// <summary>The vendor's most recent sealed answers of this kind from an earlier assignment (last cycle), or null.</summary>
    public async Task<SealedEnvelope?> LastCycleAsync(Assignment assignment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var now = timeProvider.GetUtcNow();
        (string AssignmentKey, int Version)? latest;
        if (_lastCycleOf.TryGetValue(assignment.Key, out var known) && known.Stamp == assignment.VendorStamp && now - known.ReadAt < VendorStamps.MaxAge)
        {
            latest = known.Latest;
        }
        else
        {
            var found = await store.LatestForVendorAsync(assignment.VendorId, assignment.Kind, assignment.Key, cancellationToken);
            latest = found is null ? null : (found.AssignmentKey, found.Version);
            if (_lastCycleOf.Count >= MaxLastCycles)
            {
                _lastCycleOf.Clear();
            }

            _lastCycleOf[assignment.Key] = (assignment.VendorStamp, now, latest);
        }

        if (latest is not { } record)
        {
            return null;
        }

        if (_lastCycles.TryGetValue((record.AssignmentKey, record.Version), out var kept))
        {
            return kept;
        }

        var envelope = await ReadAsync(record.AssignmentKey, record.Version, cancellationToken);
        if (_lastCycles.Count >= MaxLastCycles)
        {
            _lastCycles.Clear();
        }

        _lastCycles[(record.AssignmentKey, record.Version)] = envelope;
        return envelope;
    }

    /// <summary>A sealed version, or null when the assignment has no such version.</summary>
    public Task<SealedEnvelope?> FindAsync(string assignmentKey, int version, CancellationToken cancellationToken) =>
        store.FindEnvelopeAsync(assignmentKey, version, cancellationToken);

    private async Task<ScoreResult?> RecordAsync(SealedEnvelope envelope, ResolvedChecklist? checklist, VendorProfile profile, CancellationToken cancellationToken)
    {
        var payload = envelope.Payload;
        var score = checklist is null ? null : ScoringEngine.Score(checklist, profile, ScoredAnswers(payload));
        var submittedAt = DateTimeOffset.Parse(payload.Timestamps.SubmittedAt, CultureInfo.InvariantCulture);
        var recorded = await store.RecordAsync(new SubmissionRecord(
            payload.Assignment.Key, payload.Version, payload.Assignment.VendorId, payload.Assignment.Kind, envelope.Sha256, envelope.Signature.KeyVersion,
            envelope.Signature.Value, submittedAt, payload.Attestation.Name, payload.DraftRevision,
            score?.Verdict ?? "received", score?.Percentage, score?.Grade), score, cancellationToken);
        if (!recorded)
        {
            LogRecordedHashDiffers(payload.Assignment.Key, payload.Version, envelope.Sha256);
        }

        await assignments.RecordSubmissionAsync(
            payload.Assignment.Key, payload.Version, $"Sealed v{payload.Version} (sha256 {envelope.Sha256[..16]}…)", timeProvider.GetUtcNow(), cancellationToken,
            score is null ? null : Brief(payload.Version, score));
        // Another of the vendor's surveys may show these answers as last cycle's: its pages must look again.
        if (vendorStamps is not null)
        {
            await vendorStamps.VendorsChangedAsync([payload.Assignment.VendorId], cancellationToken);
        }

        return score;
    }

    /// <summary>What the assignment keeps of a score: enough for the dashboard's summaries, not the findings.</summary>
    internal static AssignmentScore Brief(int version, ScoreResult score) => new(
        version, score.Verdict, score.Percentage, score.Grade, score.CriticalFailed,
        score.Sections.Where(section => section.Percentage is not null)
            .Select(section => new SectionPercentage(section.SectionId, section.Title.Ja, section.Title.En, section.Percentage!.Value))
            .ToList());

    private SealedPayload BuildPayload(SealRequest request, int version, string? previousSha)
    {
        var assignment = request.Assignment;
        var draft = request.Draft;
        var answers = new SortedDictionary<string, SealedAnswer>(StringComparer.Ordinal);
        var asked = new HashSet<string>(StringComparer.Ordinal);
        if (request.Checklist is { } checklist)
        {
            foreach (var (_, item) in checklist.Items)
            {
                if (!Applicability.Applies(item, request.Profile, draft.Answers))
                {
                    continue;
                }

                asked.Add(item.Id);
                if (draft.Answers.TryGetValue(item.Id, out var answer))
                {
                    answers[item.Id] = SealedAnswer.From(answer, draft.CarriedForward.Contains(item.Id));
                }
            }
        }

        var evidence = draft.Evidence
            .Where(file => request.Checklist is null || asked.Contains(file.ItemId))
            .OrderBy(file => file.ItemId, StringComparer.Ordinal).ThenBy(file => file.UploadedAt).ThenBy(file => file.Id, StringComparer.Ordinal)
            .Select(SealedEvidence.From)
            .ToList();
        var now = timeProvider.GetUtcNow();
        var handlingMethod = assignment.Kind == SurveyKinds.HandlingMethod;
        return new SealedPayload
        {
            Assignment = new SealedAssignment(assignment.Key, assignment.Cycle, assignment.VendorId, assignment.Kind, assignment.CampaignId, request.VendorNameJa, request.CorporateNumber),
            Checklist = new SealedChecklist(assignment.ChecklistId ?? SurveyKinds.HandlingMethod, assignment.ChecklistVersion ?? 1),
            Version = version,
            DraftRevision = request.ReviewedRevision,
            Answers = answers,
            Evidence = evidence,
            Subcontractors = request.Subcontractors,
            Declaration = request.Declaration is { } declaration ? SealedDeclaration.From(declaration) : null,
            Attestation = new SealedAttestation(
                request.Officer.Name, request.Officer.Title, request.Officer.Email,
                handlingMethod ? Attestation.HandlingMethodStatementJa : Attestation.StatementJa,
                handlingMethod ? Attestation.HandlingMethodStatementEn : Attestation.StatementEn,
                Timestamp(now)),
            Timestamps = new SealedTimestamps(Timestamp(assignment.InvitedAt), Timestamp(assignment.OpenedAt), Timestamp(now)),
            PreviousSha256 = previousSha,
        };
    }

    /// <summary>The sealed answers as scoring reads them: a file item is answered by the documents sealed for it.</summary>
    internal static Dictionary<string, ItemAnswer> ScoredAnswers(SealedPayload payload)
    {
        var answers = payload.Answers.ToDictionary(pair => pair.Key, pair => pair.Value.ToItemAnswer(), StringComparer.Ordinal);
        foreach (var files in payload.Evidence.GroupBy(file => file.ItemId, StringComparer.Ordinal))
        {
            answers[files.Key] = (answers.GetValueOrDefault(files.Key) ?? new ItemAnswer()) with { Files = files.Select(file => file.Id).ToList() };
        }

        return answers;
    }

    private static string? Timestamp(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Timestamp(DateTimeOffset at) => Timestamp((DateTimeOffset?)at)!;

    [LoggerMessage(Level = LogLevel.Error, Message = "Sealed {AssignmentKey} v{Version} now hashes to {Sha256}, not to the hash recorded when it was sealed: the stored blob was rewritten; the record keeps the original")]
    private partial void LogRecordedHashDiffers(string assignmentKey, int version, string sha256);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sealed {AssignmentKey} v{Version}: sha256 {Sha256}, key version {KeyVersion}")]
    private partial void LogSealed(string assignmentKey, int version, string sha256, string keyVersion);
}

public sealed record SealRequest(
    Assignment Assignment,
    Draft Draft,
    int ReviewedRevision,
    ResolvedChecklist? Checklist,
    VendorProfile Profile,
    string VendorNameJa,
    string? CorporateNumber,
    Officer Officer,
    IReadOnlyList<SealedSubcontractor>? Subcontractors = null,
    HandlingMethodDeclaration? Declaration = null);

public enum SealStatus
{
    /// <summary>Sealed now (or by a concurrent request for the same draft revision).</summary>
    Sealed,

    /// <summary>This draft revision was sealed before: the existing version is the answer.</summary>
    AlreadySealed,

    /// <summary>The assignment does not take a submission now (already submitted, under review, closed); the latest sealed version, if any, comes with it.</summary>
    NotOpen,

    /// <summary>Another, different revision won the race for this version.</summary>
    Conflict,
}

public sealed record SealOutcome(SealStatus Status, SealedEnvelope? Envelope);
