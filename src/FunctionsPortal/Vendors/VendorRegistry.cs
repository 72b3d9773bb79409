using FunctionsPortal.Audit;
using FunctionsPortal.Checklists;
using System.Text;
using System.Text.Json;

namespace FunctionsPortal.Vendors;

/// <summary>
/// The registry's rules on top of the store: validation, parent/subcontractor consistency, and risk tiers
/// (computed on read, because a subcontractor added to a vendor changes the vendor's tier; the list rows keep the tier
/// as computed when written, for filtering, and a subcontractor change rewrites its parent's list row). Every change lands in
/// the vendor's audit chain, with what changed before and after.
/// </summary>
public sealed class VendorRegistry(VendorStore store, RiskTiering tiering, AuditTrail audit, TimeProvider timeProvider, ILifecycleGate? lifecycleGate = null)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public async Task<VendorView> CreateAsync(Vendor vendor, string by, CancellationToken cancellationToken, string? id = null)
    {
        vendor = VendorValidator.Normalize(vendor);
        var all = await store.ListAsync(cancellationToken);
        var newId = id ?? VendorStore.NewId();
        ThrowIfInvalid(vendor, newId, all);
        var record = await store.AddAsync(newId, vendor, by, cancellationToken);
        await audit.AppendAsync(new AuditEntry(newId, AuditActions.VendorCreated, by, newId, After: vendor), cancellationToken);
        return View(record, [.. all, record]);
    }

    /// <summary>
    /// Adds a subcontractor a vendor declared, with point reads only (the parent, and the holder of its corporate number) —
    /// a vendor link never scans the registry. A number another vendor holds is not refused: the entry records the match
    /// for staff (see <see cref="LinkAsync"/>) and reserves nothing, so the declaring vendor cannot tell the two apart.
    /// </summary>
    public async Task<VendorRecord> DeclareSubcontractorAsync(Vendor vendor, string by, CancellationToken cancellationToken)
    {
        vendor = VendorValidator.Normalize(vendor) with { Match = null };
        var errors = VendorValidator.Validate(vendor);
        if (errors.Count > 0)
        {
            throw new VendorValidationException(errors);
        }

        var parentId = vendor.ParentId ?? throw new ArgumentException("A declared subcontractor has a parent.", nameof(vendor));
        if (await store.FindAsync(parentId, cancellationToken) is null)
        {
            throw new VendorNotFoundException(parentId);
        }

        var id = VendorStore.NewId();
        VendorRecord record;
        try
        {
            record = await store.AddAsync(id, await WithMatchAsync(vendor, cancellationToken), by, cancellationToken);
        }
        catch (VendorConflictException)
        {
            // The number was taken between the look-up and the write: record the match, as if it had been there before.
            record = await store.AddAsync(id, await WithMatchAsync(vendor, cancellationToken), by, cancellationToken);
        }

        await audit.AppendAsync(new AuditEntry(id, AuditActions.VendorCreated, by, id, After: record.Vendor), cancellationToken);
        return record;
    }

    private async Task<Vendor> WithMatchAsync(Vendor vendor, CancellationToken cancellationToken) =>
        vendor.CorporateNumber is { Length: > 0 } number && await store.HolderOfAsync(number, cancellationToken) is { } holder
            ? vendor with { Match = new RegistryMatch(holder) }
            : vendor;

    /// <summary>
    /// Staff link a declared subcontractor to the registered vendor its corporate number belongs to: the entry becomes the
    /// parent's reference to that vendor (approved, out of the staff list, exports and planning), so the company stays one
    /// registry entry. Recorded in both vendors' audit chains.
    /// </summary>
    public async Task<VendorView> LinkAsync(string id, string etag, string by, CancellationToken cancellationToken)
    {
        var all = await store.ListAsync(cancellationToken);
        var byId = all.ToDictionary(record => record.Id, StringComparer.Ordinal);
        var current = byId.GetValueOrDefault(id) ?? throw new VendorNotFoundException(id);
        if (current.Vendor is not { Match: { Linked: false } match, ParentId: { } parentId } || current.Vendor.PriorApproval?.Status == "rejected")
        {
            throw new VendorValidationException(new() { ["match"] = ["Only a declared subcontractor that matches a registered vendor, not yet linked or rejected, can be linked / 登録済みの委託先と一致する、未処理の再委託先のみ紐付けできます。"] });
        }

        if (!byId.ContainsKey(match.VendorId))
        {
            throw new VendorValidationException(new() { ["match"] = [$"There is no vendor {match.VendorId} to link to / 紐付け先の委託先がありません。"] });
        }

        // The registered vendor becomes the parent's subcontractor: it must not be the parent itself or above it.
        for (var ancestor = parentId; ancestor is not null; ancestor = byId.GetValueOrDefault(ancestor)?.Vendor.ParentId)
        {
            if (ancestor == match.VendorId)
            {
                throw new VendorValidationException(new() { ["match"] = ["A vendor cannot be its own (indirect) subcontractor: reject this declaration instead / 委託元自身は再委託先にできません（不承認にしてください）。"] });
            }
        }

        var now = timeProvider.GetUtcNow();
        var linked = current.Vendor with
        {
            Match = match with { LinkedBy = by, LinkedAt = now },
            PriorApproval = new PriorApproval("approved", by, now, $"linked to registered vendor {match.VendorId}"),
        };
        var record = await store.UpdateAsync(id, etag, linked, by, cancellationToken);
        await audit.AppendAsync(new AuditEntry(id, AuditActions.SubcontractorLinked, by, id,
            new { match = current.Vendor.Match, priorApproval = current.Vendor.PriorApproval }, new { match = linked.Match, priorApproval = linked.PriorApproval }), cancellationToken);
        await audit.AppendAsync(new AuditEntry(match.VendorId, AuditActions.SubcontractorLinked, by, match.VendorId,
            After: new { subcontractorOf = parentId, declaration = id, scope = current.Vendor.Scope }), cancellationToken);
        return View(record, [.. all.Where(other => other.Id != id), record]);
    }

    /// <summary>
    /// A declaration that matches a registered vendor is linked, never approved as a company of its own (that would make
    /// the company two registry entries): throws with the match for staff.
    /// </summary>
    public static void ThrowIfApprovingMatch(Vendor vendor, string status)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        if (status == "approved" && vendor.Match is { Linked: false } match)
        {
            throw new VendorValidationException(new()
            {
                ["match"] = [$"This declaration matches registered vendor {match.VendorId} (/staff/vendors/{match.VendorId}): link it instead of approving it, or reject it / 登録済みの委託先 {match.VendorId} と一致します。承認ではなく紐付けるか、承認しないでください。"],
            });
        }
    }

    /// <summary>
    /// Everything the staff vendor page shows of the registry, from one read of it: the vendor with its risk, its parent,
    /// its subcontracting tree, the vendors whose declarations staff linked to it, and the vendor a declaration matches.
    /// </summary>
    public async Task<VendorDetail?> DetailAsync(string id, CancellationToken cancellationToken)
    {
        var all = await store.ListAsync(cancellationToken);
        if (all.FirstOrDefault(record => record.Id == id) is not { } record)
        {
            return null;
        }

        var byId = all.ToDictionary(other => other.Id, StringComparer.Ordinal);
        var parents = Parents(all);
        var parent = record.Vendor.ParentId is { } parentId && byId.GetValueOrDefault(parentId) is { } parentRecord ? View(parentRecord, parents) : null;
        var linked = all
            .Where(other => other.Vendor.Match is { Linked: true } match && match.VendorId == id && other.Vendor.ParentId is not null)
            .Select(other => new LinkedDeclaration(other.Id, other.Vendor.ParentId!, byId.GetValueOrDefault(other.Vendor.ParentId!)?.Vendor.LegalName.Ja ?? other.Vendor.ParentId!, other.Vendor.Scope))
            .OrderBy(declaration => declaration.ParentId, StringComparer.Ordinal)
            .ToList();
        var match = record.Vendor.Match is { } registryMatch
            ? new RegistryMatchView(registryMatch.VendorId, byId.GetValueOrDefault(registryMatch.VendorId)?.Vendor.LegalName.Ja ?? registryMatch.VendorId, registryMatch.Linked)
            : null;
        return new VendorDetail(View(record, parents), parent, Tree(record, all, byId), linked, match);
    }

    /// <summary>The stored record (a point read), for callers that need neither risk nor the tree.</summary>
    public Task<VendorRecord?> RecordAsync(string id, CancellationToken cancellationToken) => store.FindAsync(id, cancellationToken);

    public async Task<VendorView> UpdateAsync(string id, string etag, Vendor vendor, string by, CancellationToken cancellationToken)
    {
        var all = await store.ListAsync(cancellationToken);
        var before = all.FirstOrDefault(record => record.Id == id) ?? throw new VendorNotFoundException(id);
        vendor = VendorValidator.Normalize(vendor);
        ThrowIfInvalid(vendor, id, all);
        await (lifecycleGate?.ThrowIfRefusedAsync(id, before.Vendor, vendor, cancellationToken) ?? Task.CompletedTask);
        var record = await store.UpdateAsync(id, etag, vendor, by, cancellationToken);

        // The ETag held, so `before` is what this change replaced. Saving it unchanged records nothing.
        if (AuditChanges.Between(before.Vendor, record.Vendor) is var (was, now))
        {
            var action = now.Count == 1 && now.ContainsKey("priorApproval") ? AuditActions.VendorPriorApproval : AuditActions.VendorUpdated;
            await audit.AppendAsync(new AuditEntry(id, action, by, id, was, now), cancellationToken);
        }

        return View(record, [.. all.Where(other => other.Id != id), record]);
    }

    public async Task<VendorView> SetRiskOverrideAsync(string id, string etag, string? tier, string? reason, string by, CancellationToken cancellationToken)
    {
        RiskTierOverride? riskOverride = null;
        if (tier is not null)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (!VendorVocabulary.RiskTiers.Contains(tier))
            {
                errors["tier"] = [$"'{tier}' is not one of: high, medium, low."];
            }

            if (string.IsNullOrWhiteSpace(reason))
            {
                errors["reason"] = ["Record why the tier is overridden."];
            }

            if (errors.Count > 0)
            {
                throw new VendorValidationException(errors);
            }

            riskOverride = new RiskTierOverride(tier, reason!.Trim(), by, timeProvider.GetUtcNow());
        }

        var all = await store.ListAsync(cancellationToken);
        var before = all.FirstOrDefault(record => record.Id == id)?.RiskOverride;
        var record = await store.SetRiskOverrideAsync(id, etag, riskOverride, by, cancellationToken);
        await audit.AppendAsync(new AuditEntry(id, AuditActions.VendorRiskOverride, by, id, new { riskOverride = before }, new { riskOverride }), cancellationToken);
        return View(record, [.. all.Where(other => other.Id != id), record]);
    }

    /// <summary>The versions the vendor's record had before the current one, newest first.</summary>
    public Task<IReadOnlyList<VendorRecord>> PreviousVersionsAsync(string id, CancellationToken cancellationToken, int limit = 50) =>
        store.PreviousVersionsAsync(id, limit, cancellationToken);

    public async Task<VendorView?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var all = await store.ListAsync(cancellationToken);
        return all.FirstOrDefault(record => record.Id == id) is { } record ? View(record, all) : null;
    }

    /// <summary>The record and what checklists and scoring may know of it (flags, categories), or null.</summary>
    /// <remarks>One filtered query over the vendor rows (the vendor's own row and its subcontractors): one round trip per vendor page.</remarks>
    public async Task<(VendorRecord Record, VendorProfile Profile)?> ProfileAsync(string id, CancellationToken cancellationToken)
    {
        if (await store.FindWithChildrenAsync(id, cancellationToken) is not var (record, hasSubcontractors))
        {
            return null;
        }

        return (record, VendorProfiles.For(record.Vendor, hasSubcontractors, DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime)));
    }

    /// <summary>A vendor's direct subcontractors as stored.</summary>
    public Task<IReadOnlyList<VendorRecord>> SubcontractorsOfAsync(string id, CancellationToken cancellationToken) => store.ChildrenAsync(id, cancellationToken);

    /// <summary>
    /// One page, sorted by Japanese name then id; <c>next</c> is an opaque keyset token (stable under inserts). Reads the list
    /// rows (see <see cref="VendorStore.ListPageAsync"/>): without a search, one range query of a page and one row; with a
    /// search, the projected list rows (a substring match storage cannot do) and then only the matches.
    /// The total is exact when the matches were all read (a search, or one page held them all) and null otherwise.
    /// </summary>
    public async Task<VendorPage> ListAsync(VendorQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var size = Math.Clamp(query.PageSize ?? DefaultPageSize, 1, MaxPageSize);
        var after = DecodeToken(query.Continuation);
        var filter = new VendorListFilter(query.Status, query.Tier, query.Category, query.ParentId, query.Approval);
        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        if (query.Search is { } search)
        {
            var found = (await store.SearchListAsync(filter, (nameJa, nameEn, number, id) => Matches(nameJa, nameEn, number, id, search), cancellationToken))
                .Select(entry => View(entry, today))
                .Where(view => query.Tier is null || view.Risk.EffectiveTier == query.Tier)
                .OrderBy(view => view.Vendor.LegalName.Ja, StringComparer.Ordinal)
                .ThenBy(view => view.Id, StringComparer.Ordinal)
                .ToList();
            var page = found.Where(view => after is null || Compare(view, after.Value) > 0).Take(size + 1).ToList();
            return new VendorPage(page.Take(size).Select(VendorSummary.From).ToList(), page.Count > size ? EncodeToken(page[size - 1]) : null, found.Count);
        }

        var (rows, more) = await store.ListPageAsync(filter, after is { } key ? VendorStore.After(key.Name, key.Id) : null, size, cancellationToken);

        // Storage filtered on the tier as computed when the row was written; a certification that has expired since can change
        // it, so the tier is checked again as of today (the nightly rebuild rewrites such rows).
        var views = rows.Select(entry => View(entry, today)).Where(view => query.Tier is null || view.Risk.EffectiveTier == query.Tier).ToList();
        var next = more && rows.Count > 0 ? EncodeToken(rows[^1].Id, rows[^1].Vendor.LegalName.Ja) : null;
        return new VendorPage(views.Select(VendorSummary.From).ToList(), next, after is null && !more ? views.Count : null);
    }

    private VendorView View(VendorListEntry entry, DateOnly today) => new(
        entry.Id, "", entry.Vendor, tiering.Assess(VendorProfiles.For(entry.Vendor, entry.HasSubcontractors, today), entry.RiskOverride), default, "");

    /// <summary>Every vendor with its risk, for exports and planning; a linked declaration is only a reference to another vendor, so it is left out.</summary>
    public async Task<IReadOnlyList<VendorView>> AllAsync(CancellationToken cancellationToken)
    {
        var all = await store.ListAsync(cancellationToken);
        var parents = Parents(all);
        return all.Where(record => record.Vendor.Match?.Linked != true).Select(record => View(record, parents)).ToList();
    }

    /// <summary>The vendor and its subcontractors at every depth.</summary>
    public async Task<SubcontractorNode?> TreeAsync(string id, CancellationToken cancellationToken)
    {
        var all = await store.ListAsync(cancellationToken);
        return all.FirstOrDefault(record => record.Id == id) is { } root ? Tree(root, all, all.ToDictionary(record => record.Id, StringComparer.Ordinal)) : null;
    }

    private static SubcontractorNode Tree(VendorRecord root, IReadOnlyList<VendorRecord> all, Dictionary<string, VendorRecord> byId)
    {
        var children = all.Where(record => record.Vendor.ParentId is not null).ToLookup(record => record.Vendor.ParentId!, StringComparer.Ordinal);
        SubcontractorNode Node(VendorRecord record) => new(
            record.Id, record.Vendor.LegalName, record.Vendor.Scope, record.Vendor.Countries, record.Vendor.DataCategories,
            record.Vendor.PriorApproval, record.Vendor.LifecycleStatus, children[record.Id].OrderBy(child => child.Id, StringComparer.Ordinal).Select(Node).ToList())
        {
            Match = record.Vendor.Match is { } match ? new RegistryMatchView(match.VendorId, byId.GetValueOrDefault(match.VendorId)?.Vendor.LegalName.Ja ?? match.VendorId, match.Linked) : null,
        };
        return Node(root);
    }

    public RiskTierOptions RuleTable => tiering.Table;

    /// <summary>Subcontractors waiting for approval and certifications expiring within <paramref name="days"/> days (or expired): one query.</summary>
    public Task<IReadOnlyList<VendorAttention>> AttentionAsync(int days, CancellationToken cancellationToken) =>
        store.AttentionAsync(DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime).AddDays(days), cancellationToken);

    private VendorView View(VendorRecord record, IReadOnlyList<VendorRecord> all) => View(record, Parents(all));

    private static HashSet<string> Parents(IReadOnlyList<VendorRecord> all) =>
        all.Select(other => other.Vendor.ParentId).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private VendorView View(VendorRecord record, HashSet<string> parents)
    {
        var hasSubcontractors = parents.Contains(record.Id);
        var profile = VendorProfiles.For(record.Vendor, hasSubcontractors, DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime));
        return new VendorView(record.Id, record.ETag, record.Vendor, tiering.Assess(profile, record.RiskOverride), record.UpdatedAt, record.UpdatedBy);
    }

    private static void ThrowIfInvalid(Vendor vendor, string id, IReadOnlyList<VendorRecord> all)
    {
        // Callers pass VendorValidator.Normalize(vendor); validation sees exactly what will be stored.
        var errors = VendorValidator.Validate(vendor);
        if (vendor.Match is { } match && (vendor.ParentId is null || match.VendorId == id || !all.Any(record => record.Id == match.VendorId)))
        {
            errors["match"] = ["A registry match names another registered vendor, on a subcontractor only."];
        }

        if (vendor.ParentId is { } parentId)
        {
            var byId = all.ToDictionary(record => record.Id, StringComparer.Ordinal);
            if (!byId.ContainsKey(parentId))
            {
                errors["parentId"] = [$"There is no vendor {parentId} to be the parent of this subcontractor."];
            }
            else
            {
                // Walk up from the new parent: reaching this vendor would make the tree a loop.
                for (var ancestor = parentId; ancestor is not null; ancestor = byId.GetValueOrDefault(ancestor)?.Vendor.ParentId)
                {
                    if (ancestor == id)
                    {
                        errors["parentId"] = ["A vendor cannot be its own (indirect) subcontractor."];
                        break;
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new VendorValidationException(errors);
        }
    }

    private static bool Matches(string nameJa, string? nameEn, string? corporateNumber, string id, string search) =>
        nameJa.Contains(search, StringComparison.OrdinalIgnoreCase)
        || (nameEn?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false)
        || corporateNumber == search
        || id == search;

    private static int Compare(VendorView view, (string Name, string Id) key)
    {
        var byName = string.CompareOrdinal(view.Vendor.LegalName.Ja, key.Name);
        return byName != 0 ? byName : string.CompareOrdinal(view.Id, key.Id);
    }

    private static string EncodeToken(VendorView view) => EncodeToken(view.Id, view.Vendor.LegalName.Ja);

    private static string EncodeToken(string id, string nameJa) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { nameJa, id })));

    private static (string Name, string Id)? DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var parts = JsonSerializer.Deserialize<string[]>(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            return parts is { Length: 2 } ? (parts[0], parts[1]) : throw new VendorValidationException(new() { ["continuation"] = ["The continuation token is not one this API issued."] });
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            throw new VendorValidationException(new() { ["continuation"] = ["The continuation token is not one this API issued."] });
        }
    }
}

public sealed record VendorQuery(string? Status, string? Tier, string? Category, string? ParentId, string? Search, int? PageSize, string? Continuation, string? Approval = null);

public sealed record VendorView(string Id, string ETag, Vendor Vendor, RiskAssessment Risk, DateTimeOffset UpdatedAt, string UpdatedBy);

public sealed record VendorSummary(
    string Id, string? ParentId, string NameJa, string? NameEn, string? CorporateNumber, string BusinessCategory,
    string LifecycleStatus, string ComputedTier, string EffectiveTier)
{
    public static VendorSummary From(VendorView view) => new(
        view.Id, view.Vendor.ParentId, view.Vendor.LegalName.Ja, view.Vendor.LegalName.En, view.Vendor.CorporateNumber,
        view.Vendor.BusinessCategory, view.Vendor.LifecycleStatus, view.Risk.ComputedTier, view.Risk.EffectiveTier);
}

/// <summary>A page of vendors; <c>Total</c> is the exact number of matches when known, null when more pages follow uncounted.</summary>
public sealed record VendorPage(IReadOnlyList<VendorSummary> Items, string? Next, int? Total);

public sealed record SubcontractorNode(
    string Id, LocalizedName LegalName, string? Scope, VendorCountries Countries, IReadOnlyList<string> DataCategories,
    PriorApproval? PriorApproval, string LifecycleStatus, IReadOnlyList<SubcontractorNode> Subcontractors)
{
    /// <summary>The registered vendor this declaration's corporate number belongs to, when it matched one.</summary>
    public RegistryMatchView? Match { get; init; }
}

/// <summary>A declaration staff linked to a registered vendor: the declaring vendor (the parent) and the work it subcontracts.</summary>
public sealed record LinkedDeclaration(string DeclarationId, string ParentId, string ParentNameJa, string? Scope);

/// <summary>The registry's part of the staff vendor page (see <see cref="VendorRegistry.DetailAsync"/>).</summary>
public sealed record VendorDetail(VendorView Vendor, VendorView? Parent, SubcontractorNode Tree, IReadOnlyList<LinkedDeclaration> LinkedDeclarations, RegistryMatchView? Match);

/// <summary>A declaration's match as staff read it: the registered vendor, its name, and whether the two are linked.</summary>
public sealed record RegistryMatchView(string VendorId, string NameJa, bool Linked);

public sealed class VendorValidationException(Dictionary<string, string[]> errors)
    : Exception("The vendor has invalid fields: " + string.Join(", ", errors.Keys))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
