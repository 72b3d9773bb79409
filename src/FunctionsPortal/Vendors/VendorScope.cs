namespace FunctionsPortal.Vendors;

/// <summary>
/// Who else holds the data (issue 17, 「影響範囲を即座に把握」): every vendor and subcontractor that handles any of the
/// given data categories, systems or locations, and the source vendor's own subcontractors — one bounded range of the
/// scope index per value, side by side, never a read of the registry.
/// </summary>
public sealed class VendorScope(VendorStore store)
{
    /// <summary>Values one lookup may name (categories, systems and locations together): each costs a query.</summary>
    public const int MaxValues = 50;

    public const string SubcontractorOf = "subcontractor-of";

    /// <summary>The matching vendors, most matches first then most records; throws <see cref="VendorValidationException"/> for a bad query and <see cref="VendorNotFoundException"/> for an unknown source vendor.</summary>
    public async Task<VendorScopeResult> FindAsync(VendorScopeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var lookups = Lookups(query);
        var sourceId = query.VendorId?.Trim();
        var source = sourceId is { Length: > 0 } ? store.NamesAsync([sourceId], cancellationToken) : null;
        var reads = lookups.Select(lookup => store.ScopeRowsAsync(lookup.Facet, lookup.Value, lookup.Role, cancellationToken)).ToList();
        var rows = await Task.WhenAll(reads);
        string? sourceName = null;
        if (source is not null && !(await source).TryGetValue(sourceId!, out sourceName))
        {
            throw new VendorNotFoundException(sourceId!);
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var matches = new Dictionary<string, (VendorScopeRow Row, List<Lookup> On)>(StringComparer.Ordinal);
        for (var i = 0; i < lookups.Count; i++)
        {
            foreach (var row in rows[i])
            {
                names[row.VendorId] = row.NameJa;
                if (row.VendorId == sourceId)
                {
                    continue;
                }

                if (!matches.TryGetValue(row.VendorId, out var match))
                {
                    matches[row.VendorId] = match = (row, []);
                }

                match.On.Add(lookups[i]);
            }
        }

        if (sourceId is not null)
        {
            names[sourceId] = sourceName!;
        }

        // Every facet asked for must hold, when asked (e.g. sensitive data stored in a country); the source's subcontractors always stay.
        var asked = lookups.Where(lookup => lookup.Facet != VendorScopeIndex.Parent).Select(lookup => lookup.Facet).ToHashSet(StringComparer.Ordinal);
        var kept = matches.Values
            .Where(match => !query.MatchAll || match.On.Any(lookup => lookup.Facet == VendorScopeIndex.Parent) || asked.All(facet => match.On.Any(lookup => lookup.Facet == facet)))
            .ToList();
        var missingParents = kept.Select(match => match.Row.ParentId).OfType<string>().Where(id => !names.ContainsKey(id)).ToList();
        foreach (var (id, name) in missingParents.Count == 0 ? new Dictionary<string, string>() : await store.NamesAsync(missingParents, cancellationToken))
        {
            names[id] = name;
        }

        var vendors = kept
            .Select(match => new VendorScopeEntry(
                match.Row.VendorId, match.Row.NameJa, match.Row.ParentId, match.Row.ParentId is { } parentId ? names.GetValueOrDefault(parentId) : null,
                match.Row.ApproximateRecords, match.Row.LifecycleStatus, match.Row.DataCategories,
                [.. match.On.Select(lookup => lookup.Label)], match.Row.LinkedVendorId))
            .OrderByDescending(entry => entry.MatchedOn.Count)
            .ThenByDescending(entry => entry.ApproximateRecords ?? -1)
            .ThenBy(entry => entry.NameJa, StringComparer.Ordinal)
            .ThenBy(entry => entry.VendorId, StringComparer.Ordinal)
            .ToList();
        return new VendorScopeResult(
            sourceId, sourceName, vendors,
            new VendorScopeTotals(vendors.Count, vendors.Sum(entry => entry.ApproximateRecords ?? 0), vendors.Count(entry => entry.ApproximateRecords is null)),
            lookups.Count);
    }

    private sealed record Lookup(string Facet, string Value, string? Role, string Label);

    /// <summary>The distinct values to look up, validated: known data categories, countries (ISO alpha-2, optionally "storage:" or "access:") or work locations, systems as free text.</summary>
    private static List<Lookup> Lookups(VendorScopeQuery query)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var lookups = new List<Lookup>();
        foreach (var value in (query.Categories ?? []).Select(VendorScopeIndex.Normalize).Distinct(StringComparer.Ordinal))
        {
            if (!VendorVocabulary.DataCategories.Contains(value))
            {
                errors["category"] = [$"'{value}' is not a data category ({string.Join(", ", VendorVocabulary.DataCategories)}) / データ区分が不明です。"];
            }

            lookups.Add(new(VendorScopeIndex.Category, value, null, $"category:{value}"));
        }

        foreach (var value in (query.Systems ?? []).Select(VendorScopeIndex.Normalize).Distinct(StringComparer.Ordinal))
        {
            if (value.Length is 0 or > 200)
            {
                errors["system"] = ["A system is 1–200 characters, as the vendor record names it / システム名は1〜200文字です。"];
            }

            lookups.Add(new(VendorScopeIndex.System, value, null, $"system:{value}"));
        }

        foreach (var value in (query.Locations ?? []).Select(VendorScopeIndex.Normalize).Distinct(StringComparer.Ordinal))
        {
            var separator = value.IndexOf(':', StringComparison.Ordinal);
            var role = separator < 0 ? null : value[..separator];
            var place = separator < 0 ? value : value[(separator + 1)..];
            var country = place.Length == 2 && place.All(char.IsAsciiLetterLower);
            if (role is not (null or VendorScopeIndex.StorageRole or VendorScopeIndex.AccessRole) || !(country || (role is null && VendorVocabulary.WorkLocations.Contains(place))))
            {
                errors["location"] = [$"'{value}' is not a location: a country code (JP), optionally storage:JP or access:JP, or {string.Join(", ", VendorVocabulary.WorkLocations)} / 所在地の指定が不正です。"];
            }

            lookups.Add(new(VendorScopeIndex.Location, place, role, $"location:{value}"));
        }

        if (lookups.Count > MaxValues)
        {
            errors["query"] = [$"At most {MaxValues} categories, systems and locations together ({lookups.Count} given) / 指定できる値は合計{MaxValues}件までです。"];
        }

        var sourceId = query.VendorId?.Trim();
        if (lookups.Count == 0 && string.IsNullOrEmpty(sourceId))
        {
            errors["query"] = ["Name a category, system, location or vendor / データ区分・システム・所在地・委託先のいずれかを指定してください。"];
        }

        if (errors.Count > 0)
        {
            throw new VendorValidationException(errors);
        }

        if (sourceId is { Length: > 0 })
        {
            lookups.Add(new(VendorScopeIndex.Parent, sourceId, null, SubcontractorOf));
        }

        return lookups;
    }
}

/// <summary>What to look for: any of these data categories, systems (as vendor records name them; case and spacing aside) or locations, and the subcontractors of <see cref="VendorId"/>.</summary>
public sealed record VendorScopeQuery
{
    public IReadOnlyList<string> Categories { get; init; } = [];

    public IReadOnlyList<string> Systems { get; init; } = [];

    /// <summary>Country codes ("JP": stored or accessed there; "storage:JP", "access:JP" for one of the two) or work locations ("remote").</summary>
    public IReadOnlyList<string> Locations { get; init; } = [];

    /// <summary>The vendor the incident is at: its own subcontractors are always listed (as "subcontractor-of"), and it is not listed itself.</summary>
    public string? VendorId { get; init; }

    /// <summary>Only vendors that match every facet asked for (a category and a location, say), instead of any one value.</summary>
    public bool MatchAll { get; init; }
}

/// <summary>The vendors found, and the number of index queries it took (one per value looked up, more only past 1,000 matches of one value).</summary>
public sealed record VendorScopeResult(string? SourceVendorId, string? SourceNameJa, IReadOnlyList<VendorScopeEntry> Vendors, VendorScopeTotals Totals, int ValuesLookedUp);

/// <summary>
/// A vendor in scope, with what it matched on ("category:sensitive", "system:aws s3", "location:jp", "subcontractor-of")
/// and its parent's name when it is a subcontractor. <see cref="LinkedVendorId"/>: a declared subcontractor linked to the
/// registered vendor it is.
/// </summary>
public sealed record VendorScopeEntry(
    string VendorId, string NameJa, string? ParentId, string? ParentNameJa, long? ApproximateRecords, string LifecycleStatus,
    IReadOnlyList<string> DataCategories, IReadOnlyList<string> MatchedOn, string? LinkedVendorId);

/// <summary>How many vendors; the sum of their approximate record counts (an upper bound on people: one person may be at several vendors); how many gave no count.</summary>
public sealed record VendorScopeTotals(int Vendors, long ApproximatePeople, int VendorsWithoutRecordCount);
