using FunctionsPortal.Hosting;
using FunctionsPortal.Evidence;
using FunctionsPortal.Responses;
using FunctionsPortal.VendorPages.Shell;

namespace FunctionsPortal.VendorPages.Sections;

/// <summary>The files a vendor posts with a page (<c>f.{item}</c>), each checked by content; and the removal of files taken off a draft.</summary>
public sealed class EvidenceUploads(EvidenceStore evidence)
{
    /// <summary>
    /// Stores the files posted for the given items; returns those kept and why others were refused. A page that takes
    /// fewer types than the evidence store names them in <paramref name="allowedTypes"/> (null: whatever the store accepts).
    /// </summary>
    public async Task<(List<EvidenceFile> Added, List<Notice> Refused)> StoreAsync(
        VendorSession session, IFormFileCollection files, IReadOnlySet<string> itemIds, IReadOnlySet<string>? allowedTypes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(itemIds);
        var added = new List<EvidenceFile>();
        var refused = new List<Notice>();
        var used = session.Draft.EvidenceBytes;
        foreach (var file in files.Where(file => file.Name.StartsWith("f.", StringComparison.Ordinal) && itemIds.Contains(file.Name[2..]) && file.Length > 0))
        {
            var itemId = file.Name[2..];
            await using var stream = file.OpenReadStream();
            var upload = await evidence.StoreAsync(session.Key, itemId, file.FileName, stream, used, cancellationToken);
            if (upload.File is { } stored && (allowedTypes is null || allowedTypes.Contains(stored.ContentType)))
            {
                added.Add(stored);
                used += stored.Size;
            }
            else if (upload.File is { } unwanted)
            {
                await evidence.DeleteAsync(unwanted.BlobName, cancellationToken);
                refused.Add(Notice.Error(itemId, $"「{file.FileName}」: PDFまたはWordのファイルを添付してください。", $"'{file.FileName}': attach a PDF or Word file."));
            }
            else
            {
                refused.Add(Notice.Error(itemId, $"「{file.FileName}」: {upload.Refusal!.MessageJa}", $"'{file.FileName}': {upload.Refusal!.MessageEn}"));
            }
        }

        return (added, refused);
    }

    /// <summary>Removed files go from storage too — unless a sealed version (this one's or last cycle's) still refers to them.</summary>
    public async Task DeleteRemovedAsync(VendorSession session, IReadOnlySet<string> removed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(removed);
        if (session.Assignment.SubmittedVersion is not null)
        {
            return;
        }

        foreach (var file in session.Draft.Evidence.Where(file => removed.Contains(file.Id) && file.BlobName.StartsWith(session.Key + "/", StringComparison.Ordinal)))
        {
            await evidence.DeleteAsync(file.BlobName, cancellationToken);
        }
    }

    /// <summary>The ids of the files a form asked to remove (its "remove" buttons).</summary>
    public static IReadOnlySet<string> RemovedIn(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return form[FormFields.Remove].OfType<string>().ToHashSet(StringComparer.Ordinal);
    }
}
