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

    /// <summary>
    /// Read-modify-write under the blob ETag; <paramref name="change"/> may run again if another save came in between,
    /// and returns null for "nothing to change" (a result equal to the saved draft counts as none). Each stored change
    /// bumps the revision.
    /// </summary>
    public async Task<Draft> UpdateAsync(string assignmentKey, Func<Draft, Draft?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var (current, etag) = await ReadAsync(assignmentKey, cancellationToken);
            var changed = change(current);
            if (changed is null)
            {
                return current;
            }

            // Saving what is already saved is no change: no write, no new revision (so a double click seals one revision).
            if (JsonSerializer.Serialize(changed with { Revision = current.Revision, UpdatedAt = current.UpdatedAt }, Json) == JsonSerializer.Serialize(current, Json))
            {
                return current;
            }

            changed = changed with { Revision = current.Revision + 1, UpdatedAt = timeProvider.GetUtcNow() };
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
