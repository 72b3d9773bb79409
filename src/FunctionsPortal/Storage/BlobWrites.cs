using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace FunctionsPortal.Storage;

/// <summary>Write-once blobs: a second write of the same name is refused, never silently replaces the first.</summary>
public static class BlobWrites
{
    /// <summary>Uploads only if no blob of that name exists; returns false when one does (409/412).</summary>
    public static async Task<bool> TryUploadNewAsync(this BlobClient blob, BinaryData content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        try
        {
            await blob.UploadAsync(content, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            return false;
        }
    }
}
