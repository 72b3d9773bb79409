using FunctionsPortal.Checklists;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Responses;

/// <summary>
/// Everything one vendor page needs, loaded from the link alone: the assignment the token opens, that vendor's record
/// and profile, the frozen checklist version and the saved draft. Nothing here is looked up by anything the browser
/// sends except the token, which is how vendor A's link can never reach vendor B's data.
/// </summary>
public sealed record VendorSession(
    string Token,
    Assignment Assignment,
    VendorRecord Vendor,
    VendorProfile Profile,
    ResolvedChecklist? Checklist,
    Draft Draft,
    DateTimeOffset LinkExpiresAt,
    Azure.ETag? DraftETag = null)
{
    private static readonly IReadOnlyDictionary<string, ItemAnswer> NoAnswers = new Dictionary<string, ItemAnswer>();

    public string Key => Assignment.Key;

    public bool IsHandlingMethod => Assignment.Kind == SurveyKinds.HandlingMethod;

    /// <summary>The vendor may still change answers (not while a submission waits for review or after acceptance).</summary>
    public bool IsOpen => AssignmentStatus.AcceptsSubmission(Assignment.Status);

    public string Url(string path = "") => $"/v/{Token}{path}";

    /// <summary>The sections with only the items that apply to this vendor and these answers.</summary>
    public IReadOnlyList<(ChecklistSection Section, IReadOnlyList<ChecklistItem> Items)> VisibleSections(IReadOnlyDictionary<string, ItemAnswer>? answers = null) =>
        Checklist is null ? [] : Checklist.Sections
            .Select(section => (section, (IReadOnlyList<ChecklistItem>)section.Items.Where(item => Applicability.Applies(item, Profile, answers ?? Draft.Answers)).ToList()))
            .Where(pair => pair.Item2.Count > 0)
            .ToList();

    /// <summary>Items never asked of this vendor whatever it answers (a vendor flag or category rules them out).</summary>
    public bool CanEverApply(ChecklistItem item) =>
        item.Applicability is null || item.Applicability.All(condition => ProfileAllows(condition) != false);

    private bool? ProfileAllows(Condition condition) =>
        condition.Answer is not null ? null
        : condition.Not is { } inner ? (ProfileAllows(inner) is { } value ? !value : null)
        : condition.AnyOf is { } alternatives ? AnyAllows(alternatives.Select(ProfileAllows).ToList())
        : Applicability.Holds(condition, Profile, NoAnswers);

    /// <summary>Any of: true if one holds from the profile alone, false if none can, unknown while an answer decides.</summary>
    private static bool? AnyAllows(List<bool?> alternatives) =>
        alternatives.Contains(true) ? true : alternatives.Contains(null) ? null : false;
}

/// <summary>Loads a <see cref="VendorSession"/> from a token, or says why the link does not open.</summary>
/// <remarks>
/// Per request it reads the assignment (through the link) and the draft, both fresh; the checklist is kept by id and
/// version (immutable) and the vendor's record and profile by assignment and <see cref="Assignment.VendorStamp"/>, which
/// every change to the vendor or its subcontractors renews (decision 024).
/// </remarks>
public sealed class VendorSessions(SurveyLinks links, VendorRegistry registry, ChecklistLibrary checklists, DraftStore drafts, TimeProvider clock)
{
    private const int MaxVendors = 10_000;

    /// <summary>A checklist version an assignment uses was marked used when planned, and a used version never changes: kept for good.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Id, int Version), ResolvedChecklist> _checklists = new();

    /// <summary>The vendor as an assignment's pages last read it, with the stamp and day it was read under.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, KeptVendor> _vendors = new(StringComparer.Ordinal);

    public Task<(VendorSession? Session, LinkState State)> LoadAsync(string token, CancellationToken cancellationToken) => LoadAsync(token, afterExpiry: null, cancellationToken);

    /// <summary>
    /// As <see cref="LoadAsync(string, CancellationToken)"/>; an expired link still opens (state <see cref="LinkState.Expired"/>
    /// with a session) when <paramref name="afterExpiry"/> says so for its assignment.
    /// </summary>
    public async Task<(VendorSession? Session, LinkState State)> LoadAsync(
        string token, Func<Assignment, CancellationToken, Task<bool>>? afterExpiry, CancellationToken cancellationToken)
    {
        var check = await links.VerifyAsync(token, cancellationToken, withExpiredAssignment: afterExpiry is not null);
        var opensAfterExpiry = check is { State: LinkState.Expired, Assignment: { } expired } && afterExpiry is not null && await afterExpiry(expired, cancellationToken);
        if (check.State != LinkState.Valid && !opensAfterExpiry)
        {
            return (null, check.State);
        }

        var assignment = check.Assignment!;
        if (await VendorAsync(assignment, cancellationToken) is not { } vendor)
        {
            return (null, LinkState.Revoked);
        }

        var checklist = assignment.ChecklistId is { } id && assignment.ChecklistVersion is { } version ? await ChecklistAsync(id, version, cancellationToken) : null;
        var (draft, draftETag) = await drafts.GetWithETagAsync(assignment.Key, cancellationToken);
        return (new VendorSession(token, assignment, vendor.Record, vendor.Profile, checklist, draft, links.ExpiresAt(assignment), draftETag), check.State);
    }

    /// <summary>The vendor's record and profile: kept while the assignment's stamp and the day (certifications expire) stay the same.</summary>
    private async Task<(VendorRecord Record, VendorProfile Profile)?> VendorAsync(Assignment assignment, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        if (_vendors.TryGetValue(assignment.Key, out var kept) && kept.Stamp == assignment.VendorStamp && kept.Day == day && now - kept.ReadAt < VendorStamps.MaxAge)
        {
            return (kept.Record, kept.Profile);
        }

        if (await registry.ProfileAsync(assignment.VendorId, cancellationToken) is not { } vendor)
        {
            return null;
        }

        if (_vendors.Count >= MaxVendors)
        {
            _vendors.Clear();
        }

        _vendors[assignment.Key] = new KeptVendor(assignment.VendorStamp, day, now, vendor.Record, vendor.Profile);
        return vendor;
    }

    private sealed record KeptVendor(string? Stamp, DateOnly Day, DateTimeOffset ReadAt, VendorRecord Record, VendorProfile Profile);

    private async Task<ResolvedChecklist?> ChecklistAsync(string id, int version, CancellationToken cancellationToken)
    {
        if (_checklists.TryGetValue((id, version), out var cached))
        {
            return cached;
        }

        var resolved = await checklists.ResolveAsync(id, version, cancellationToken);
        if (resolved is not null)
        {
            _checklists[(id, version)] = resolved;
        }

        return resolved;
    }
}
