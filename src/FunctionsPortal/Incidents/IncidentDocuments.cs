using System.Security.Cryptography;
using Azure.Storage.Blobs;
using FunctionsPortal.Evidence;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Incidents;

/// <summary>
/// Documents sent with an incident report (PDF, PNG or JPEG; at most <see cref="MaxFiles"/> of
/// <see cref="MaxFileBytes"/> each), typed from their content by the evidence sniffer, hashed, and written once to the
/// <c>incident-documents</c> container under a name the server chooses (<c>{incidentId}/{32 hex}</c>).
/// </summary>
public sealed class IncidentDocuments(PortalStorage storage)
{
    public const string ContainerName = "incident-documents";
    public const int MaxFiles = 5;
    public const long MaxFileBytes = 10L * 1024 * 1024;

    private static readonly IReadOnlySet<string> Accepted = new HashSet<string>(StringComparer.Ordinal)
    {
        FileTypeSniffer.Pdf.ContentType, FileTypeSniffer.Png.ContentType, FileTypeSniffer.Jpeg.ContentType,
    };

    private BlobContainerClient Container => storage.GetContainer(ContainerName);

    /// <summary>
    /// Reads and checks every upload (nothing is stored yet); the checked files, or the errors (field "documents").
    /// The streams are read once and not disposed.
    /// </summary>
    public static async Task<(IReadOnlyList<CheckedDocument> Files, IReadOnlyList<IncidentFieldError> Errors)> CheckAsync(
        IReadOnlyList<IncidentUpload> uploads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        if (uploads.Count > MaxFiles)
        {
            return ([], [new("documents", $"添付できるファイルは{MaxFiles}件までです。", $"Attach at most {MaxFiles} files.")]);
        }

        var files = new List<CheckedDocument>();
        var errors = new List<IncidentFieldError>();
        foreach (var upload in uploads)
        {
            var name = EvidenceFileNames.Clean(upload.FileName);
            var bytes = await ReadLimitedAsync(upload.Content, cancellationToken);
            if (bytes is null)
            {
                errors.Add(new("documents", $"「{name}」は10 MBを超えています。", $"'{name}' is larger than 10 MB."));
                continue;
            }

            var sniffed = FileTypeSniffer.Sniff(bytes, name);
            if (sniffed.Type is not { } type || !Accepted.Contains(type.ContentType))
            {
                errors.Add(new("documents", $"「{name}」はPDF・PNG・JPEGではありません。{sniffed.MessageJa}", $"'{name}' is not a PDF, PNG or JPEG file. {sniffed.MessageEn}".TrimEnd()));
                continue;
            }

            files.Add(new CheckedDocument(name, type.ContentType, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }

        return (files, errors);
    }

    /// <summary>Writes the checked files once each under the incident; returns what the record keeps of them.</summary>
    public async Task<IReadOnlyList<IncidentDocument>> StoreAsync(string incidentId, IReadOnlyList<CheckedDocument> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var stored = new List<IncidentDocument>();
        foreach (var file in files)
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var blobName = $"{incidentId}/{id}";
            if (!await Container.GetBlobClient(blobName).TryUploadNewAsync(new BinaryData(file.Content), file.ContentType, cancellationToken))
            {
                throw new InvalidOperationException($"Incident document {blobName} exists already.");
            }

            stored.Add(new IncidentDocument(id, file.FileName, file.ContentType, file.Content.Length, file.Sha256, blobName));
        }

        return stored;
    }

    /// <summary>SHA-256 and size of what storage holds now; null when the document is missing.</summary>
    public async Task<(string Sha256, long Size)?> HashAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var content = (await Container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
            return (Convert.ToHexStringLower(SHA256.HashData(content)), content.Length);
        }
        catch (Azure.RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The stored bytes (for staff downloads); null when missing.</summary>
    public async Task<BinaryData?> ReadAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            return (await Container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (Azure.RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The whole stream when it is at most <see cref="MaxFileBytes"/>; null as soon as it is more (the rest is not read).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream content, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>A file as the reporter sent it; the stream is the caller's.</summary>
public sealed record IncidentUpload(string FileName, Stream Content);

/// <summary>A file that passed the checks, in memory until it is stored.</summary>
public sealed record CheckedDocument(string FileName, string ContentType, byte[] Content, string Sha256);
