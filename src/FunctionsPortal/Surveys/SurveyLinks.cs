using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using FunctionsPortal.Secrets;
using FunctionsPortal.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Vendor links: 144 random bits per token, stored only as HMAC-SHA256 under the current signing key (table
/// "links", PartitionKey = RowKey = the hash: Azurite finds an entity through its RowKey first, so a RowKey shared by every
/// link made each point operation there walk all of them — decision 029). A token is valid for one assignment until its due date plus the grace period;
/// issuing a new one supersedes the old, staff can revoke. Verification tries every key version still in force,
/// so rotating the key never breaks links already sent.
/// </summary>
public sealed class SurveyLinks(PortalStorage storage, AssignmentStore assignments, ISigningKeys keys, IOptions<SurveyOptions> options, TimeProvider timeProvider)
{
    public const string TableName = "links";
    private const int TokenBytes = 18;

    /// <summary>Japan has no daylight saving: due dates end at midnight JST.</summary>
    internal static readonly TimeSpan Japan = TimeSpan.FromHours(9);

    private const int MaxRememberedLinks = 100_000;

    /// <summary>
    /// Link hash → assignment key, as read from link rows. That pair is written once when the link is issued and never
    /// changes (only the revoked/superseded marks do, and they follow the assignment's CurrentLinkHash moving away), so
    /// any instance may keep it; whether the link is still in force is always read from the assignment.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _assignmentOfLink = new(StringComparer.Ordinal);

    private TableClient Table => storage.GetTable(TableName);

    /// <summary>Issues a new link for the assignment and supersedes the previous one. The token is returned once, to be mailed.</summary>
    public async Task<string> IssueAsync(string assignmentKey, CancellationToken cancellationToken)
    {
        var (token, hash) = await IssueUnrecordedAsync(assignmentKey, cancellationToken);
        var now = timeProvider.GetUtcNow();
        string? previous = null;
        await assignments.UpdateAsync(assignmentKey, current =>
        {
            previous = current.CurrentLinkHash;
            return current with { CurrentLinkHash = hash };
        }, cancellationToken);
        Remember(hash, assignmentKey);
        if (previous is not null && previous != hash)
        {
            await MarkAsync(previous, "SupersededAt", now, cancellationToken);
        }

        return token;
    }

    /// <summary>
    /// Writes a new link (one write) without recording it on the assignment: for an invitation, whose link becomes the
    /// assignment's current one when the mail is known sent (<see cref="AssignmentStore.RecordInvitedAsync"/>, from the
    /// hash the outbox row keeps), in the same write as the move to invited. The link works from now on.
    /// </summary>
    public async Task<(string Token, string Hash)> IssueUnrecordedAsync(string assignmentKey, CancellationToken cancellationToken)
    {
        var keySet = await keys.GetAsync(cancellationToken);
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        var hash = Hash(token, keySet.Current);
        var parts = AssignmentKey.Parse(assignmentKey) ?? throw new ArgumentException($"'{assignmentKey}' is not an assignment key.", nameof(assignmentKey));
        await Table.AddEntityAsync(new TableEntity(hash, hash)
        {
            ["AssignmentKey"] = assignmentKey,
            ["VendorId"] = parts.VendorId,
            ["KeyVersion"] = keySet.Current.Version,
            ["IssuedAt"] = timeProvider.GetUtcNow(),
        }, cancellationToken);
        return (token, hash);
    }

    /// <summary>Marks a link superseded by a newer one (an invitation's link that lost to a resend made meanwhile).</summary>
    public Task SupersedeAsync(string hash, CancellationToken cancellationToken) => MarkAsync(hash, "SupersededAt", timeProvider.GetUtcNow(), cancellationToken);

    /// <summary>Revokes the assignment's current link (staff action); the vendor then needs a new one.</summary>
    public async Task<bool> RevokeAsync(string assignmentKey, CancellationToken cancellationToken)
    {
        string? current = null;
        await assignments.UpdateAsync(assignmentKey, assignment =>
        {
            current = assignment.CurrentLinkHash;
            return current is null ? null : assignment with { CurrentLinkHash = null };
        }, cancellationToken);
        if (current is null)
        {
            return false;
        }

        await MarkAsync(current, "RevokedAt", timeProvider.GetUtcNow(), cancellationToken);
        return true;
    }

    /// <summary>
    /// What a token opens — or exactly why it does not, without revealing anything about other vendors. With
    /// <paramref name="withExpiredAssignment"/> an expired link's check names its assignment (still <see cref="LinkState.Expired"/>).
    /// </summary>
    public async Task<LinkCheck> VerifyAsync(string? token, CancellationToken cancellationToken, bool withExpiredAssignment = false)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64 || !Base64Url.IsValid(token, out var length) || length != TokenBytes)
        {
            return LinkCheck.Unknown;
        }

        var keySet = await keys.GetAsync(cancellationToken);
        var hashes = keySet.All.Values.Select(key => Hash(token, key)).ToList();

        // A link seen before needs only its assignment: one still in force is the assignment's CurrentLinkHash.
        foreach (var hash in hashes)
        {
            if (_assignmentOfLink.TryGetValue(hash, out var assignmentKey)
                && await assignments.FindAsync(assignmentKey, cancellationToken) is { } assignment
                && assignment.CurrentLinkHash == hash)
            {
                return Check(assignment, withExpiredAssignment);
            }
        }

        foreach (var hash in hashes)
        {
            var row = await Table.GetEntityIfExistsAsync<TableEntity>(hash, hash, cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                continue;
            }

            var link = row.Value!;
            Remember(hash, link.GetString("AssignmentKey"));
            if (link.GetDateTimeOffset("RevokedAt") is { } revokedAt)
            {
                return new LinkCheck(LinkState.Revoked, null, revokedAt);
            }

            if (link.GetDateTimeOffset("SupersededAt") is { } supersededAt)
            {
                return new LinkCheck(LinkState.Superseded, null, supersededAt);
            }

            return Check(await assignments.FindAsync(link.GetString("AssignmentKey"), cancellationToken), withExpiredAssignment);
        }

        return LinkCheck.Unknown;
    }

    private LinkCheck Check(Assignment? assignment, bool withExpiredAssignment)
    {
        if (assignment is null || assignment.Status == AssignmentStatus.Cancelled)
        {
            return new LinkCheck(LinkState.Revoked, null, null);
        }

        var expiresAt = ExpiresAt(assignment);
        return timeProvider.GetUtcNow() >= expiresAt
            ? new LinkCheck(LinkState.Expired, withExpiredAssignment ? assignment : null, expiresAt)
            : new LinkCheck(LinkState.Valid, assignment, expiresAt);
    }

    private void Remember(string hash, string assignmentKey)
    {
        // Bounded: past the limit start over (the map only saves reads, it never decides anything on its own).
        if (_assignmentOfLink.Count >= MaxRememberedLinks)
        {
            _assignmentOfLink.Clear();
        }

        _assignmentOfLink[hash] = assignmentKey;
    }

    /// <summary>The end of the due date plus the grace days, at midnight Japan time.</summary>
    public DateTimeOffset ExpiresAt(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var lastDay = assignment.DueOn.AddDays(options.Value.LinkGraceDays + 1);
        return new DateTimeOffset(lastDay.ToDateTime(TimeOnly.MinValue), Japan);
    }

    internal static string Hash(string token, SigningKey key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key.Key, Encoding.ASCII.GetBytes(token)));

    private async Task MarkAsync(string hash, string property, DateTimeOffset at, CancellationToken cancellationToken) =>
        await Table.UpdateEntityAsync(new TableEntity(hash, hash) { [property] = at }, Azure.ETag.All, TableUpdateMode.Merge, cancellationToken);
}

public enum LinkState
{
    Valid,
    Expired,
    Revoked,

    /// <summary>A newer link was mailed (a reminder or a resend); the vendor should use that one.</summary>
    Superseded,
    Unknown,
}

public sealed record LinkCheck(LinkState State, Assignment? Assignment, DateTimeOffset? At)
{
    public static LinkCheck Unknown { get; } = new(LinkState.Unknown, null, null);
}
