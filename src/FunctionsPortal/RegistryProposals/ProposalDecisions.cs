using FunctionsPortal.Audit;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.RegistryProposals;

/// <summary>
/// Staff decide a proposal: confirming applies it through the registry's normal update (validated, ETag-guarded, the
/// previous version kept, the change audited) and records who confirmed it; dismissing needs a reason. Both are audited.
/// </summary>
public sealed class ProposalDecisions(ProposalStore proposals, VendorRegistry registry, AuditTrail audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<RegistryProposal>> ListAsync(string vendorId, CancellationToken cancellationToken) =>
        (await proposals.ListAsync(vendorId, cancellationToken)).Select(stored => stored.Proposal).ToList();

    /// <summary>The proposals waiting for staff, oldest first.</summary>
    public async Task<IReadOnlyList<RegistryProposal>> PendingAsync(string vendorId, CancellationToken cancellationToken) =>
        (await ListAsync(vendorId, cancellationToken)).Where(proposal => proposal.IsPending).OrderBy(proposal => proposal.ProposedAt).ToList();

    /// <summary>Applies the proposal to the record read with <paramref name="vendorETag"/>; countries go to <paramref name="countriesTo"/> (storage, access or both).</summary>
    public async Task<RegistryProposal> ConfirmAsync(string vendorId, string proposalId, string vendorETag, string? countriesTo, string by, CancellationToken cancellationToken)
    {
        var stored = await PendingProposalAsync(vendorId, proposalId, cancellationToken);
        var proposal = stored.Proposal;
        if (!proposal.Applicable)
        {
            throw new ProposalDecisionException("No country in the answer could be read: change the registry by hand, then dismiss this proposal / 国名を読み取れませんでした。登録内容を手作業で変更してから、この提案を却下してください。");
        }

        var target = string.IsNullOrWhiteSpace(countriesTo) ? CountryTargets.Both : countriesTo.Trim();
        if (proposal.Field == ProposalFields.OverseasCountries && !CountryTargets.All.Contains(target))
        {
            throw new ProposalDecisionException($"'{target}' is not one of: storage, access, both / 反映先を選んでください。");
        }

        var current = await registry.RecordAsync(vendorId, cancellationToken) ?? throw new VendorNotFoundException(vendorId);
        await registry.UpdateAsync(vendorId, vendorETag, Apply(proposal, current.Vendor, target), by, cancellationToken);
        var confirmed = proposal with
        {
            Status = ProposalStatuses.Confirmed,
            DecidedBy = by,
            DecidedAt = clock.GetUtcNow(),
            Reason = proposal.Field == ProposalFields.OverseasCountries ? $"countries to: {target}" : null,
        };
        await proposals.ReplaceAsync(stored, confirmed, cancellationToken);
        await audit.AppendAsync(new AuditEntry(vendorId, AuditActions.RegistryChangeConfirmed, by, proposal.Id,
            new { field = proposal.Field, value = proposal.Current }, new { field = proposal.Field, value = proposal.Proposed, countriesTo = confirmed.Reason, survey = proposal.AssignmentKey }), cancellationToken);
        return confirmed;
    }

    public async Task<RegistryProposal> DismissAsync(string vendorId, string proposalId, string? reason, string by, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ProposalDecisionException("Say why the proposal is dismissed / 却下する理由を記入してください。");
        }

        var stored = await PendingProposalAsync(vendorId, proposalId, cancellationToken);
        var dismissed = stored.Proposal with { Status = ProposalStatuses.Dismissed, DecidedBy = by, DecidedAt = clock.GetUtcNow(), Reason = reason.Trim() };
        await proposals.ReplaceAsync(stored, dismissed, cancellationToken);
        await audit.AppendAsync(new AuditEntry(vendorId, AuditActions.RegistryChangeDismissed, by, proposalId,
            After: new { field = dismissed.Field, value = dismissed.Proposed, reason = dismissed.Reason, survey = dismissed.AssignmentKey }), cancellationToken);
        return dismissed;
    }

    /// <summary>The record with the proposal applied (only the proposal's field changes).</summary>
    public static Vendor Apply(RegistryProposal proposal, Vendor vendor, string countriesTo)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(vendor);
        return proposal.Field switch
        {
            ProposalFields.Subcontracts => vendor with { Subcontracts = proposal.Proposed.SequenceEqual([ScopingItems.Yes]) },
            ProposalFields.CloudServices => vendor with { CloudServices = proposal.Proposed },
            ProposalFields.OverseasCountries => vendor with
            {
                Countries = vendor.Countries with
                {
                    Storage = Countries(vendor.Countries.Storage, proposal, countriesTo is CountryTargets.Storage or CountryTargets.Both),
                    Access = Countries(vendor.Countries.Access, proposal, countriesTo is CountryTargets.Access or CountryTargets.Both),
                },
            },
            _ => throw new ProposalDecisionException($"Unknown field {proposal.Field}."),
        };
    }

    /// <summary>
    /// One country list after the answer: the countries abroad the answer does not name go (unless part of the answer could
    /// not be read: then nothing goes), the named ones are added where staff said; a list left empty means Japan.
    /// </summary>
    private static List<string> Countries(IReadOnlyList<string> list, RegistryProposal proposal, bool addHere)
    {
        var kept = proposal.Unrecognised.Count > 0 ? list.ToList() : list.Where(code => code == "JP" || proposal.Proposed.Contains(code, StringComparer.Ordinal)).ToList();
        if (addHere)
        {
            kept.AddRange(proposal.Proposed.Where(code => !kept.Contains(code, StringComparer.Ordinal)));
        }

        return kept.Count == 0 && list.Count > 0 ? ["JP"] : kept;
    }

    private async Task<StoredProposal> PendingProposalAsync(string vendorId, string proposalId, CancellationToken cancellationToken)
    {
        var stored = await proposals.FindAsync(vendorId, proposalId, cancellationToken) ?? throw new ProposalNotFoundException(vendorId, proposalId);
        return stored.Proposal.IsPending
            ? stored
            : throw new ProposalDecisionException($"This proposal was already {stored.Proposal.Status} / この提案は処理済みです。");
    }
}

public sealed class ProposalNotFoundException(string vendorId, string proposalId) : Exception($"Vendor {vendorId} has no proposal {proposalId}.");

/// <summary>A decision that cannot be made (already decided, no reason, nothing applicable): the message says why, in both languages.</summary>
public sealed class ProposalDecisionException(string message) : Exception(message);
