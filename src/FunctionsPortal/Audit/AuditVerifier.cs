namespace FunctionsPortal.Audit;

/// <summary>
/// Checks every chain end to end, and each against the latest daily anchor. A scan by design (staff ask for it; it is
/// no page's render): each chain is read once, in pages of 1,000 records, a few chains at a time.
/// </summary>
public sealed class AuditVerifier(AuditTrail trail, AuditAnchors anchors, TimeProvider clock)
{
    public async Task<AuditVerification> VerifyAllAsync(CancellationToken cancellationToken)
    {
        var anchor = await anchors.LatestAsync(cancellationToken);
        var anchored = anchor?.Complete == true ? anchor.Heads : new Dictionary<string, (long, string)>();

        // A chain whose head row was deleted is still found through the anchor.
        var chains = (await trail.HeadsAsync(cancellationToken)).Keys.Union(anchored.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var results = new ChainVerification[chains.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, chains.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (index, token) =>
        {
            var chain = chains[index];
            results[index] = await trail.VerifyChainAsync(chain, anchored.TryGetValue(chain, out var head) ? head : null, token);
        });

        return new AuditVerification(clock.GetUtcNow(), chains.Count, results.Sum(result => result.Records), anchor?.Complete == true ? anchor.Name : null,
            results.Where(result => !result.Intact).ToList());
    }

    /// <summary>One vendor's chain (a partition read, bounded by that vendor's records), against the latest anchor.</summary>
    public async Task<ChainVerification> VerifyChainAsync(string chain, CancellationToken cancellationToken) =>
        await trail.VerifyChainAsync(chain, await anchors.AnchoredHeadAsync(chain, cancellationToken), cancellationToken);
}
