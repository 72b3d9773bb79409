using System.Security.Cryptography;
using System.Text;
using FunctionsPortal.Audit;
using FunctionsPortal.Scoring;
using FunctionsPortal.Storage;
using FunctionsPortal.Submissions;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.RegistryProposals;

/// <summary>
/// When a submission is sealed, compares its scoping answers with the vendor's registry record and records a proposal for
/// each field that differs (staff decide; the vendor sees nothing of it). An answer already pending is not proposed again;
/// pending proposals of a field the latest answer agrees with, or proposes otherwise, are superseded.
/// </summary>
public sealed partial class ScopingProposalSink(ProposalStore proposals, VendorStore vendors, AuditTrail audit, TimeProvider clock, ILogger<ScopingProposalSink> logger)
    : ISealedSubmissionSink
{
    public async Task SealedAsync(SealedEnvelope envelope, ScoreResult? score, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var payload = envelope.Payload;
        if (!payload.Answers.Keys.Any(ScopingItems.All.Contains) || await vendors.FindAsync(payload.Assignment.VendorId, cancellationToken) is not { } vendor)
        {
            return;
        }

        var subcontractsAnswered = payload.Answers.ContainsKey(ScopingItems.Subcontracts);
        var hasSubcontractors = subcontractsAnswered && (await vendors.ChildrenAsync(vendor.Id, cancellationToken)).Count > 0;
        var existing = (await proposals.ListAsync(vendor.Id, cancellationToken)).Where(stored => stored.Proposal.IsPending).ToList();
        var by = $"vendor:{payload.Assignment.Key}";
        foreach (var comparison in ScopingComparison.Compare(payload.Answers, vendor.Vendor, hasSubcontractors))
        {
            var pending = existing.Where(stored => stored.Proposal.Field == comparison.Field).ToList();
            if (comparison.Differs && pending.Any(stored => Same(stored.Proposal, comparison)))
            {
                continue;
            }

            foreach (var stale in pending)
            {
                try
                {
                    await proposals.ReplaceAsync(stale, stale.Proposal with { Status = ProposalStatuses.Superseded, DecidedBy = by, DecidedAt = clock.GetUtcNow() }, cancellationToken);
                }
                catch (ConcurrencyConflictException)
                {
                    // Staff decided it meanwhile: their decision stands, and it is no longer pending.
                }
            }

            if (!comparison.Differs)
            {
                continue;
            }

            var proposal = new RegistryProposal
            {
                Id = IdFor(payload.Assignment.Key, comparison),
                VendorId = vendor.Id,
                Field = comparison.Field,
                AssignmentKey = payload.Assignment.Key,
                SubmissionVersion = payload.Version,
                Current = comparison.Current,
                Proposed = comparison.Proposed,
                Answer = comparison.Answer,
                Unrecognised = comparison.Unrecognised,
                Note = comparison.Note,
                ProposedAt = clock.GetUtcNow(),
            };
            if (await proposals.TryAddAsync(proposal, cancellationToken))
            {
                LogProposed(vendor.Id, comparison.Field, payload.Assignment.Key);
                await audit.AppendAsync(new AuditEntry(vendor.Id, AuditActions.RegistryChangeProposed, by, proposal.Id,
                    new { field = proposal.Field, value = proposal.Current }, new { field = proposal.Field, value = proposal.Proposed, answer = proposal.Answer }), cancellationToken);
            }
        }
    }

    private static bool Same(RegistryProposal proposal, FieldComparison comparison) =>
        proposal.Proposed.SequenceEqual(comparison.Proposed, StringComparer.OrdinalIgnoreCase) && proposal.Unrecognised.SequenceEqual(comparison.Unrecognised, StringComparer.OrdinalIgnoreCase);

    /// <summary>The same answer from the same survey is the same proposal (a second notification of one seal adds nothing).</summary>
    private static string IdFor(string assignmentKey, FieldComparison comparison)
    {
        var identity = string.Join('\n', [assignmentKey, comparison.Field, .. comparison.Proposed, "|", .. comparison.Unrecognised]);
        return $"{comparison.Field}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..24]}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Vendor {VendorId}: scoping answers of {AssignmentKey} propose a change of {Field}")]
    private partial void LogProposed(string vendorId, string field, string assignmentKey);
}
