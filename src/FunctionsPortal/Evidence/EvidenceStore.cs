using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FunctionsPortal.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Evidence;

/// <summary>
/// Vendors' evidence files in the <c>evidence</c> container. An upload is streamed (hashed and size-checked as it
/// arrives, refused the moment a limit is passed), typed from its content, and stored under a name the server
/// chooses, so nothing a vendor sends decides where bytes land or how they are served. A refused upload leaves nothing behind.
/// </summary>
public sealed partial class EvidenceStore(
    PortalStorage storage,
    IOptions<EvidenceOptions> options,
    TimeProvider timeProvider,
    ILogger<EvidenceStore> logger)
{
    public const string ContainerName = "evidence";

    /// <summary>Bytes per staged block: a file up to this size is one Put Blob; larger ones are staged block by block.</summary>
    internal const int DefaultBlockBytes = 4 * 1024 * 1024;

    private const int MaxKeyLength = 256;

    private readonly EvidenceOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    /// <summary>Memory held per upload in flight; tests lower it to exercise the staged path with small files.</summary>
    internal int BlockBytes
    {
        get;
        init => field = value >= FileTypeSniffer.HeadBytes ? value : throw new ArgumentOutOfRangeException(nameof(value), $"A block holds at least the {FileTypeSniffer.HeadBytes}-byte head.");
    } = DefaultBlockBytes;

    private BlobContainerClient Container => storage.GetContainer(ContainerName);

    /// <summary>
    /// Stores one file for an assignment's checklist item, or says why not. <paramref name="alreadyUsedBytes"/> is
    /// what the assignment's other files take (the caller's record of them), checked against
    /// <see cref="EvidenceOptions.MaxAssignmentBytes"/>. The stream is read once, forwards, and not disposed.
    /// </summary>
    public async Task<EvidenceUpload> StoreAsync(
        string assignmentKey,
        string itemId,
        string originalFileName,
        Stream content,
        long alreadyUsedBytes,
        CancellationToken cancellationToken)
    {
        ValidateKey(assignmentKey, nameof(assignmentKey));
        ValidateKey(itemId, nameof(itemId));
        ArgumentNullException.ThrowIfNull(originalFileName);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(alreadyUsedBytes);

        var fileName = EvidenceFileNames.Clean(originalFileName);
        var allowed = Math.Max(0, Math.Min(_options.MaxFileBytes, _options.MaxAssignmentBytes - alreadyUsedBytes));
        if (content.CanSeek && content.Length - content.Position > allowed)
        {
            // The size is known up front (a buffered form file): refuse without reading a byte.
            return EvidenceUpload.Refused(TooLarge(content.Length - content.Position));
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var upload = new PendingUpload(Container.GetBlockBlobClient($"{assignmentKey}/{itemId}/{id}"));
        var buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
        try
        {
            return await StoreCoreAsync(upload, id, itemId, fileName, content, allowed, buffer, cancellationToken);
        }
        catch (Exception exception)
        {
            // Cancelled, the client went away, or storage failed: whatever was written goes, then the error goes on.
            await AbandonQuietlyAsync(upload, exception);
            throw;
        }
        finally
        {
            // Evidence can be confidential: the pooled buffer is cleared before anyone else rents it.
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>Deletes a file (and any snapshots); deleting one that is already gone is not an error.</summary>
    public async Task DeleteAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(blobName);
        await Container.GetBlobClient(blobName).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The stored bytes as a forward-only stream the caller disposes (it resumes by itself after a dropped
    /// connection). Throws <see cref="FileNotFoundException"/> when the blob does not exist.
    /// </summary>
    public async Task<Stream> OpenReadAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(blobName);
        try
        {
            var download = await Container.GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            throw new FileNotFoundException($"Evidence blob {blobName} does not exist.", blobName, exception);
        }
    }

    /// <summary>SHA-256 (lower-case hex) and size recomputed from what storage holds now; null when the blob is missing.</summary>
    public async Task<(string Sha256, long Size)?> HashAsync(string blobName, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = await OpenReadAsync(blobName, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        await using (stream)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                long size = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    size += read;
                }

                return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            }
        }
    }

    private async Task<EvidenceUpload> StoreCoreAsync(
        PendingUpload upload,
        string id,
        string itemId,
        string fileName,
        Stream content,
        long allowed,
        byte[] buffer,
        CancellationToken cancellationToken)
    {
        // 1. The head decides the type before the rest is read: an executable is refused after 8 KiB, not 20 MiB.
        var start = content.CanSeek ? content.Position : -1;
        var reader = new LimitedReader(content, allowed);
        var length = await reader.FillAsync(buffer.AsMemory(0, FileTypeSniffer.HeadBytes), cancellationToken);
        if (reader.Total == 0)
        {
            return Refused(FileTypeSniffer.Sniff([], fileName));
        }

        if (reader.Exceeded)
        {
            return EvidenceUpload.Refused(TooLarge(reader.Total));
        }

        // An Office file (OLE2 or ZIP) is settled only by all of it: macros, embedded objects and encryption hide anywhere.
        var inspect = FileTypeSniffer.NeedsFullInspection(buffer.AsSpan(0, length), fileName);
        var sniff = FileTypeSniffer.Sniff(buffer.AsSpan(0, length), fileName);
        if (!sniff.Accepted && !inspect)
        {
            return Refused(sniff);
        }

        length += await reader.FillAsync(buffer.AsMemory(length, BlockBytes - length), cancellationToken);
        if (reader.Exceeded)
        {
            return EvidenceUpload.Refused(TooLarge(reader.Total));
        }

        // 2. Office files are judged whole before a byte is written: from the block in hand, the seekable upload itself
        //    (a buffered form file), or else a temporary copy, which is then what gets stored.
        await using var spool = inspect && !reader.Ended && start != 0 ? NewSpool() : null;
        if (inspect)
        {
            if (reader.Ended)
            {
                using var whole = new MemoryStream(buffer, 0, length, writable: false);
                sniff = await FileTypeSniffer.SniffAsync(whole, fileName, _options.MaxUnpackedBytes, cancellationToken);
            }
            else if (spool is null)
            {
                sniff = await FileTypeSniffer.SniffAsync(content, fileName, _options.MaxUnpackedBytes, cancellationToken);
                content.Position = reader.Total;
            }
            else
            {
                await spool.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
                while ((length = await reader.FillAsync(buffer.AsMemory(0, BlockBytes), cancellationToken)) > 0 && !reader.Exceeded)
                {
                    await spool.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
                }

                if (reader.Exceeded)
                {
                    return EvidenceUpload.Refused(TooLarge(reader.Total));
                }

                sniff = await FileTypeSniffer.SniffAsync(spool, fileName, _options.MaxUnpackedBytes, cancellationToken);
                spool.Position = 0;
                reader = new LimitedReader(spool, allowed);
                length = await reader.FillAsync(buffer.AsMemory(0, BlockBytes), cancellationToken);
            }
        }

        if (!sniff.Accepted)
        {
            return Refused(sniff);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        // 3. A file that fits one block goes up in a single request.
        if (reader.Ended)
        {
            hash.AppendData(buffer, 0, length);
            var file = NewFile(id, itemId, fileName, sniff.Type, length, hash, upload.Blob.Name);
            upload.Committed = true;
            using var body = new MemoryStream(buffer, 0, length, writable: false);
            await upload.Blob.UploadAsync(body, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = Headers(file),
                Metadata = Metadata(file),
            }, cancellationToken);
            return EvidenceUpload.Success(file);
        }

        // 4. Larger files: stage block by block (never holding more than one), refusing before the block that passes a limit.
        var blockIds = new List<string>();
        while (length > 0)
        {
            hash.AppendData(buffer, 0, length);
            var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes(blockIds.Count.ToString("D6", CultureInfo.InvariantCulture)));
            using (var block = new MemoryStream(buffer, 0, length, writable: false))
            {
                upload.Staged = true;
                await upload.Blob.StageBlockAsync(blockId, block, cancellationToken: cancellationToken);
            }

            blockIds.Add(blockId);
            length = await reader.FillAsync(buffer.AsMemory(0, BlockBytes), cancellationToken);
            if (reader.Exceeded)
            {
                await AbandonAsync(upload);
                return EvidenceUpload.Refused(TooLarge(reader.Total));
            }
        }

        var stored = NewFile(id, itemId, fileName, sniff.Type, reader.Total, hash, upload.Blob.Name);
        await upload.Blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = Headers(stored),
            Metadata = Metadata(stored),
        }, cancellationToken);
        upload.Committed = true;
        return EvidenceUpload.Success(stored);
    }

    /// <summary>A temporary file for an Office upload that cannot be re-read (no seeking); it is deleted when closed.</summary>
    private static FileStream NewSpool() => new(
        Path.Combine(Path.GetTempPath(), Path.GetRandomFileName()),
        FileMode.CreateNew,
        FileAccess.ReadWrite,
        FileShare.None,
        bufferSize: 81920,
        FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    private EvidenceFile NewFile(string id, string itemId, string fileName, DetectedType type, long size, IncrementalHash hash, string blobName) =>
        new(id, itemId, fileName, type.ContentType, size, Convert.ToHexStringLower(hash.GetCurrentHash()), blobName, timeProvider.GetUtcNow());

    /// <summary>Served as an attachment under the vendor's name, so a browser opening the blob directly never renders it inline.</summary>
    private static BlobHttpHeaders Headers(EvidenceFile file) => new()
    {
        ContentType = file.ContentType,
        ContentDisposition = $"attachment; filename*=UTF-8''{Uri.EscapeDataString(file.FileName)}",
    };

    /// <summary>Metadata values must be ASCII: the vendor's file name is stored URL-encoded (UTF-8).</summary>
    private static Dictionary<string, string> Metadata(EvidenceFile file) => new(StringComparer.Ordinal)
    {
        ["filename"] = Uri.EscapeDataString(file.FileName),
        ["sha256"] = file.Sha256,
        ["itemid"] = file.ItemId,
        ["uploadedat"] = file.UploadedAt.ToString("O", CultureInfo.InvariantCulture),
    };

    private static EvidenceUpload Refused(SniffResult sniff) =>
        EvidenceUpload.Refused(new EvidenceRefusal(sniff.Reason!, sniff.MessageJa!, sniff.MessageEn!));

    /// <summary>The file limit when the file alone is over it, otherwise the assignment's total.</summary>
    private EvidenceRefusal TooLarge(long size) => size > _options.MaxFileBytes
        ? new EvidenceRefusal(
            EvidenceRefusalReasons.TooLargeFile,
            $"ファイルが大きすぎます。1 ファイル {FormatSize(_options.MaxFileBytes)} までです。",
            $"The file is too large. Each file can be up to {FormatSize(_options.MaxFileBytes)}.")
        : new EvidenceRefusal(
            EvidenceRefusalReasons.TooLargeTotal,
            $"添付ファイルの合計が上限（{FormatSize(_options.MaxAssignmentBytes)}）を超えます。不要なファイルを削除してからもう一度お試しください。",
            $"This would take the files attached to this survey over their limit of {FormatSize(_options.MaxAssignmentBytes)}. Delete files you no longer need and try again.");

    private static string FormatSize(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024d * 1024):0.#} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024d:0.#} KB");

    /// <summary>Keys become blob path segments: no separators, nothing that would change the path, ASCII for metadata.</summary>
    private static void ValidateKey(string value, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        if (value.Length > MaxKeyLength || value is "." or ".." || value.Any(character => character is < '!' or > '~' or '/' or '\\' or '?' or '#' or '%'))
        {
            throw new ArgumentException($"'{value}' cannot be part of an evidence blob name (printable ASCII without / \\ ? # %, at most {MaxKeyLength} characters).", parameterName);
        }
    }

    /// <summary>
    /// Removes what an upload wrote. Staged blocks are not a blob yet: committing an empty list discards them at
    /// once (instead of in a week), and the resulting empty blob is deleted.
    /// </summary>
    private static async Task AbandonAsync(PendingUpload upload)
    {
        if (!upload.Staged && !upload.Committed)
        {
            return;
        }

        if (!upload.Committed)
        {
            await upload.Blob.CommitBlockListAsync([], cancellationToken: CancellationToken.None);
        }

        await upload.Blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: CancellationToken.None);
    }

    private async Task AbandonQuietlyAsync(PendingUpload upload, Exception cause)
    {
        try
        {
            await AbandonAsync(upload);
        }
        // The original failure is what the caller must see; staged blocks expire by themselves, a committed blob is logged.
        catch (Exception cleanupFailure)
        {
            LogCleanupFailed(cleanupFailure, upload.Blob.Name, cause.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove evidence blob {BlobName} after a failed upload ({Cause})")]
    private partial void LogCleanupFailed(Exception exception, string blobName, string cause);

    /// <summary>What one upload may have written so far (set before each write, so a failure can take it back).</summary>
    private sealed class PendingUpload(BlockBlobClient blob)
    {
        public BlockBlobClient Blob { get; } = blob;

        public bool Staged { get; set; }

        public bool Committed { get; set; }
    }

    /// <summary>Reads the upload no further than one byte past the limit, which is how it knows the limit was passed.</summary>
    private sealed class LimitedReader(Stream content, long allowed)
    {
        public long Total { get; private set; }

        public bool Exceeded => Total > allowed;

        public bool Ended { get; private set; }

        public async Task<int> FillAsync(Memory<byte> target, CancellationToken cancellationToken)
        {
            var filled = 0;
            while (filled < target.Length && !Exceeded && !Ended)
            {
                var wanted = (int)Math.Min(target.Length - filled, allowed + 1 - Total);
                var read = await content.ReadAsync(target.Slice(filled, wanted), cancellationToken);
                if (read == 0)
                {
                    Ended = true;
                    break;
                }

                filled += read;
                Total += read;
            }

            return filled;
        }
    }
}
