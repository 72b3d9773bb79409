using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Contracts;

/// <summary>
/// A vendor becomes active only once reviewers accepted its due diligence and its 覚書 is recorded (each configurable,
/// <see cref="ContractOptions"/>). The gate applies to a staff edit that moves the lifecycle from another status to
/// active (page or API). Creation and the CSV import register relationships that already exist, so they are not refused:
/// the vendor page flags an active vendor that lacks either (<see cref="MissingAsync"/>). Reads one vendor's partition.
/// </summary>
public sealed class ActivationGate(ContractStore store, IOptions<ContractOptions> options) : ILifecycleGate
{
    public const string Active = "active";

    public async Task ThrowIfRefusedAsync(string id, Vendor before, Vendor after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (after.LifecycleStatus != Active || before.LifecycleStatus == Active)
        {
            return;
        }

        var missing = await MissingAsync(id, cancellationToken);
        if (missing.Count > 0)
        {
            throw new VendorValidationException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["lifecycleStatus"] =
                [
                    "取引中にできません。次がそろっていません / The vendor cannot become active before: "
                    + string.Join("、", missing.Select(requirement => $"{requirement.Ja} ({requirement.En})")),
                ],
            });
        }
    }

    /// <summary>What the vendor still lacks to become active, under the current options (empty when nothing).</summary>
    public async Task<IReadOnlyList<ActivationRequirement>> MissingAsync(string id, CancellationToken cancellationToken) =>
        Missing(await store.ReadVendorAsync(id, cancellationToken));

    /// <summary>What a vendor with these contract records still lacks to become active.</summary>
    public IReadOnlyList<ActivationRequirement> Missing(VendorContractFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var missing = new List<ActivationRequirement>();
        if (options.Value.ActivationRequiresDueDiligence && !file.DueDiligenceAccepted)
        {
            missing.Add(ActivationRequirement.DueDiligence);
        }

        if (options.Value.ActivationRequiresMemorandum && !file.Documents.Any(document => document.Kind == ContractKinds.Memorandum))
        {
            missing.Add(ActivationRequirement.Memorandum);
        }

        return missing;
    }
}

public sealed record ActivationRequirement(string Name, string Ja, string En)
{
    public static readonly ActivationRequirement DueDiligence = new("due-diligence", "受理済みのデューデリジェンス調査", "an accepted due-diligence survey");

    public static readonly ActivationRequirement Memorandum = new("memorandum", "覚書（個人データの取扱い）の登録", "a recorded data-handling memorandum (覚書)");
}
