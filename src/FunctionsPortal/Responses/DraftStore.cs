using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Responses;

/// <summary>
/// Drafts as JSON blobs (container "drafts", one per assignment): no 64 KiB property limit for long comments, and
/// the blob ETag guards every save, so two tabs never silently overwrite each other's answers.
/// </summary>
public sealed class DraftStore(PortalStorage storage, TimeProvider timeProvider)
{
    public const string ContainerName = "drafts";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private BlobContainerClient Container => storage.GetContainer(ContainerName);

    /// <summary>The saved draft, or an empty one (revision 0) when nothing was saved yet.</summary>
    public async Task<Draft> GetAsync(string assignmentKey, CancellationToken cancellationToken) =>
        (await ReadAsync(assignmentKey, cancellationToken)).Draft;

    /// <summary>The saved draft and the blob ETag it was read at (null when nothing is saved yet), for <see cref="UpdateAsync(VendorSession, Func{Draft, Draft?}, CancellationToken)"/>.</summary>
    public Task<(Draft Draft, ETag? ETag)> GetWithETagAsync(string assignmentKey, CancellationToken cancellationToken) =>
        ReadAsync(assignmentKey, cancellationToken);

    /// <summary>
    /// As <see cref="UpdateAsync(string, Func{Draft, Draft?}, CancellationToken)"/>, starting from the draft the session
    /// read (under its ETag) instead of reading it again: a save is then one conditional write, and a draft that changed
    /// since fails the condition and is read afresh.
    /// </summary>
    public Task<Draft> UpdateAsync(VendorSession session, Func<Draft, Draft?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return UpdateAsync(session.Key, change, (session.Draft, session.DraftETag), cancellationToken);
    }

    /// <summary>
    /// Read-modify-write under the blob ETag; <paramref name="change"/> may run again if another save came in between,
    /// and returns null for "nothing to change" (a result equal to the saved draft counts as none). Each stored change
    /// bumps the revision.
    /// </summary>
    public Task<Draft> UpdateAsync(string assignmentKey, Func<Draft, Draft?> change, CancellationToken cancellationToken) =>
        UpdateAsync(assignmentKey, change, sessionCopy: null, cancellationToken);

    private async Task<Draft> UpdateAsync(string assignmentKey, Func<Draft, Draft?> change, (Draft Draft, ETag? ETag)? sessionCopy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var (current, etag) = sessionCopy ?? await ReadAsync(assignmentKey, cancellationToken);
            var fresh = sessionCopy is null;
            sessionCopy = null;
            var changed = change(current);
            // Saving what is already saved is no change: no write, no new revision (so a double click seals one revision).
            var unchanged = changed is null
                || JsonSerializer.Serialize(changed with { Revision = current.Revision, UpdatedAt = current.UpdatedAt }, Json) == JsonSerializer.Serialize(current, Json);
            if (unchanged && !fresh)
            {
                // "No change" against the session's copy is only true of the saved draft if nothing came in since: read it.
                continue;
            }

            if (unchanged)
            {
                return current;
            }

            changed = changed! with { Revision = current.Revision + 1, UpdatedAt = timeProvider.GetUtcNow() };
            var conditions = etag is { } known ? new BlobRequestConditions { IfMatch = known } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                await Blob(assignmentKey).UploadAsync(BinaryData.FromObjectAsJson(changed, Json), new BlobUploadOptions
                {
                    Conditions = conditions,
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                }, cancellationToken);
                return changed;
            }
            catch (RequestFailedException exception) when (exception.Status is 409 or 412 && attempt < 10)
            {
                // Another save won the race: apply this change to its result.
            }
        }

        throw new InvalidOperationException($"The draft of {assignmentKey} kept changing under ten saves in a row.");
    }

    private async Task<(Draft Draft, ETag? ETag)> ReadAsync(string assignmentKey, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Blob(assignmentKey).DownloadContentAsync(cancellationToken);
            return (content.Value.Content.ToObjectFromJson<Draft>(Json)!, content.Value.Details.ETag);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return (new Draft { AssignmentKey = assignmentKey }, null);
        }
    }

    private BlobClient Blob(string assignmentKey) => Container.GetBlobClient($"{assignmentKey}.json");
}
