using Azure;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Surveys;

/// <summary>
/// The records one batch of survey mail was read with (its assignments with their ETags, its vendors), for the code
/// the batch's mails run through — the composer, the settle hook — and the invitations it sent, recorded on their
/// assignments together when the batch ends. Open for the batch's flow only (like a storage-operation scope): mail
/// driven by anyone else reads and records for itself.
/// </summary>
internal sealed class SurveyMailBatch : IDisposable
{
    private static readonly AsyncLocal<SurveyMailBatch?> CurrentBatch = new();

    private readonly IReadOnlyDictionary<string, (Assignment Assignment, ETag ETag)> _assignments;
    private readonly IReadOnlyDictionary<string, VendorRecord> _vendors;
    private readonly SurveyMailBatch? _outer;
    private readonly List<InvitationSent> _sent = [];
    private readonly Lock _gate = new();

    private SurveyMailBatch(IReadOnlyDictionary<string, (Assignment, ETag)> assignments, IReadOnlyDictionary<string, VendorRecord> vendors, SurveyMailBatch? outer)
    {
        _assignments = assignments;
        _vendors = vendors;
        _outer = outer;
    }

    public static SurveyMailBatch? Current => CurrentBatch.Value;

    public static SurveyMailBatch Begin(IReadOnlyDictionary<string, (Assignment, ETag)> assignments, IReadOnlyDictionary<string, VendorRecord> vendors)
    {
        var batch = new SurveyMailBatch(assignments, vendors, CurrentBatch.Value);
        CurrentBatch.Value = batch;
        return batch;
    }

    public Assignment? Assignment(string key) => _assignments.TryGetValue(key, out var row) ? row.Assignment : null;

    public VendorRecord? Vendor(string id) => _vendors.GetValueOrDefault(id);

    /// <summary>Holds the sent invitation back for <see cref="TakeSent"/>; false when the batch did not read this assignment.</summary>
    public bool Sent(string key, string? linkHash, string toAddress)
    {
        if (!_assignments.TryGetValue(key, out var row))
        {
            return false;
        }

        lock (_gate)
        {
            _sent.Add(new InvitationSent(row.Assignment, row.ETag, linkHash, toAddress));
        }

        return true;
    }

    public IReadOnlyList<InvitationSent> TakeSent()
    {
        lock (_gate)
        {
            var sent = _sent.DistinctBy(invitation => invitation.Assignment.Key, StringComparer.Ordinal).ToList();
            _sent.Clear();
            return sent;
        }
    }

    public void Dispose() => CurrentBatch.Value = _outer;
}
