using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsPortal.Audit;
using FunctionsPortal.Spreadsheets;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Vendors;

/// <summary>
/// CSV import of the registry. Every row is checked before anything is written, and by default one bad row
/// imports nothing (all-or-nothing), with every bad row and field reported. Rows are matched to existing vendors by
/// id, then corporate number, then (Japanese name, company country), so importing the same file again changes
/// nothing. A storage failure half-way leaves the rows written so far, and re-importing the file completes it.
/// Each vendor created or changed gets a record in its own audit chain, and the import as a whole one in the portal's.
/// </summary>
public sealed partial class VendorImport(VendorStore store, VendorRegistry registry, AuditTrail audit, IOptions<SpreadsheetLimits> limits)
{
    private const string ImportSubject = "csv-import";

    private static readonly string[] RequiredColumns = ["legalNameJa", "businessCategory", "officerName", "officerEmail", "ownerName", "ownerEmail", "companyCountry"];

    /// <summary>The registry as CSV; in Shift_JIS a character it lacks becomes 〓 and the download names the vendor's row.</summary>
    public async Task<CsvDownload> ExportAsync(string encoding, CancellationToken cancellationToken) =>
        VendorCsv.Download(await registry.AllAsync(cancellationToken), encoding);

    public async Task<VendorImportReport> ImportAsync(ReadOnlyMemory<byte> file, bool partial, string by, CancellationToken cancellationToken)
    {
        var errors = new List<VendorImportError>();
        string text, encoding;
        IReadOnlyList<CsvTable.Row> rows;
        try
        {
            (text, encoding) = TextEncodings.Decode(file.Span);
            rows = CsvTable.Parse(text, limits.Value);
        }
        catch (CsvFormatException exception)
        {
            return VendorImportReport.Failed("unknown", [new VendorImportError(0, "", exception.Message)]);
        }

        if (rows.Count < 2)
        {
            return VendorImportReport.Failed(encoding, [new VendorImportError(1, "", "The file has no vendor rows below the header.")]);
        }

        var header = rows[0].Fields.Select(column => column.Trim().TrimStart('\uFEFF')).ToList();
        foreach (var unknown in header.Where(column => !VendorCsv.Columns.Contains(column, StringComparer.Ordinal)))
        {
            errors.Add(new VendorImportError(rows[0].LineNumber, unknown, $"Unknown column '{unknown}'. Columns: {string.Join(", ", VendorCsv.Columns)}."));
        }

        foreach (var missing in RequiredColumns.Where(column => !header.Contains(column, StringComparer.Ordinal)))
        {
            errors.Add(new VendorImportError(rows[0].LineNumber, missing, $"The required column '{missing}' is missing."));
        }

        if (errors.Count > 0)
        {
            return VendorImportReport.Failed(encoding, errors);
        }

        var existing = await store.ListAsync(cancellationToken);
        var plans = PlanRows(rows.Skip(1), header, existing, errors);
        CheckParents(plans, existing, errors);
        var badLines = errors.Select(error => error.Line).ToHashSet();
        if (errors.Count > 0 && !partial)
        {
            return new VendorImportReport(encoding, plans.Count, 0, 0, 0, errors.OrderBy(error => error.Line).ToList(), Applied: false);
        }

        int created = 0, updated = 0, unchanged = 0;
        foreach (var plan in ParentsFirst(plans.Where(plan => !badLines.Contains(plan.Line)).ToList()))
        {
            if (plan.Existing is { } current)
            {
                if (Same(current.Vendor, plan.Vendor))
                {
                    unchanged++;
                    continue;
                }

                await store.UpdateAsync(plan.Id, current.ETag, plan.Vendor, by, cancellationToken);
                var (was, now) = AuditChanges.Between(current.Vendor, plan.Vendor) ?? ([], []);
                await audit.AppendAsync(new AuditEntry(plan.Id, AuditActions.VendorUpdated, by, ImportSubject, was, now), cancellationToken);
                updated++;
            }
            else
            {
                await store.AddAsync(plan.Id, plan.Vendor, by, cancellationToken);
                await audit.AppendAsync(new AuditEntry(plan.Id, AuditActions.VendorCreated, by, ImportSubject, After: plan.Vendor), cancellationToken);
                created++;
            }
        }

        await audit.AppendAsync(new AuditEntry(AuditTrail.PortalChain, AuditActions.VendorsImported, by, ImportSubject,
            After: new { encoding, rows = plans.Count, created, updated, unchanged, rejectedRows = badLines.Count }), cancellationToken);

        return new VendorImportReport(encoding, plans.Count, created, updated, unchanged, errors.OrderBy(error => error.Line).ToList(), Applied: true);
    }

    private static List<RowPlan> PlanRows(IEnumerable<CsvTable.Row> rows, List<string> header, IReadOnlyList<VendorRecord> existing, List<VendorImportError> errors)
    {
        var byId = existing.ToDictionary(record => record.Id, StringComparer.Ordinal);
        // A declaration matching a registered vendor shares its number without holding it: the holder is the one a number names.
        var byNumber = existing.Where(record => record.Vendor.CorporateNumber is not null && record.Vendor.Match is null).ToDictionary(record => record.Vendor.CorporateNumber!, StringComparer.Ordinal);
        var byName = existing.GroupBy(record => (record.Vendor.LegalName.Ja, record.Vendor.Countries.Company)).Where(group => group.Count() == 1).ToDictionary(group => group.Key, group => group.Single());
        var plans = new List<RowPlan>();
        var idsInFile = new Dictionary<string, int>(StringComparer.Ordinal);
        var numbersInFile = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var line = row.LineNumber;
            void Error(string column, string message) => errors.Add(new VendorImportError(line, column, message));
            if (row.Fields.Count != header.Count)
            {
                Error("", $"The row has {row.Fields.Count} fields; the header has {header.Count}.");
                continue;
            }

            var cells = header.Zip(row.Fields).Where(pair => !VendorCsv.ExportOnly.Contains(pair.First)).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal);
            var (id, parsed) = VendorCsv.FromRow(cells, Error);
            var vendor = VendorValidator.Normalize(parsed);
            if (id is not null && !IdFormat().IsMatch(id))
            {
                Error("id", $"'{id}' is not a vendor id (3-64 lowercase letters, digits and dashes).");
            }

            var match = id is not null && byId.TryGetValue(id, out var withId) ? withId
                : vendor.CorporateNumber is not null && byNumber.TryGetValue(vendor.CorporateNumber, out var withNumber) ? withNumber
                : id is null && vendor.CorporateNumber is null && byName.TryGetValue((vendor.LegalName.Ja, vendor.Countries.Company), out var withName) ? withName
                : null;
            var declaredMatch = match?.Vendor.Match is not null;
            if (match is not null && !declaredMatch && vendor.CorporateNumber is not null && byNumber.TryGetValue(vendor.CorporateNumber, out var holder) && holder.Id != match.Id)
            {
                Error("corporateNumber", $"Corporate number {vendor.CorporateNumber} belongs to vendor {holder.Id}, not {match.Id}.");
            }

            var targetId = match?.Id ?? id ?? VendorStore.NewId();
            if (idsInFile.TryGetValue(targetId, out var firstLine))
            {
                Error("id", $"This row is the same vendor as line {firstLine}.");
            }

            idsInFile.TryAdd(targetId, line);
            if (vendor.CorporateNumber is not null && !declaredMatch)
            {
                if (numbersInFile.TryGetValue(vendor.CorporateNumber, out var numberLine) && numberLine != line)
                {
                    Error("corporateNumber", $"Corporate number {vendor.CorporateNumber} is also on line {numberLine}.");
                }

                numbersInFile.TryAdd(vendor.CorporateNumber, line);
            }

            // What the CSV does not carry stays as it is.
            vendor = vendor with { Contacts = match?.Vendor.Contacts ?? [], PriorApproval = match?.Vendor.PriorApproval, Match = match?.Vendor.Match };
            // A file exported before these columns existed leaves them as they are.
            if (!header.Contains("subcontracts", StringComparer.Ordinal))
            {
                vendor = vendor with { Subcontracts = match?.Vendor.Subcontracts };
            }

            if (!header.Contains("cloudServices", StringComparer.Ordinal))
            {
                vendor = vendor with { CloudServices = match?.Vendor.CloudServices ?? [] };
            }

            foreach (var (field, messages) in VendorValidator.Validate(vendor))
            {
                foreach (var message in messages)
                {
                    Error(VendorCsv.ColumnFor(field), message);
                }
            }

            plans.Add(new RowPlan(line, targetId, vendor, match));
        }

        return plans;
    }

    private static void CheckParents(List<RowPlan> plans, IReadOnlyList<VendorRecord> existing, List<VendorImportError> errors)
    {
        var parents = existing.ToDictionary(record => record.Id, record => record.Vendor.ParentId, StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            parents[plan.Id] = plan.Vendor.ParentId;
        }

        foreach (var plan in plans.Where(plan => plan.Vendor.ParentId is not null))
        {
            if (!parents.ContainsKey(plan.Vendor.ParentId!))
            {
                errors.Add(new VendorImportError(plan.Line, "parentId", $"There is no vendor {plan.Vendor.ParentId}, neither registered nor in this file."));
                continue;
            }

            var steps = 0;
            for (var ancestor = plan.Vendor.ParentId; ancestor is not null; ancestor = parents.GetValueOrDefault(ancestor))
            {
                if (ancestor == plan.Id || ++steps > parents.Count)
                {
                    errors.Add(new VendorImportError(plan.Line, "parentId", "A vendor cannot be its own (indirect) subcontractor."));
                    break;
                }
            }
        }
    }

    private static IEnumerable<RowPlan> ParentsFirst(List<RowPlan> plans)
    {
        var inFile = plans.ToDictionary(plan => plan.Id, StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<RowPlan> Visit(RowPlan plan)
        {
            if (!done.Add(plan.Id))
            {
                yield break;
            }

            if (plan.Vendor.ParentId is { } parentId && inFile.TryGetValue(parentId, out var parent))
            {
                foreach (var ancestor in Visit(parent))
                {
                    yield return ancestor;
                }
            }

            yield return plan;
        }

        return plans.SelectMany(Visit).ToList();
    }

    private static bool Same(Vendor left, Vendor right) =>
        JsonSerializer.Serialize(left, VendorStore.Json) == JsonSerializer.Serialize(right, VendorStore.Json);

    [GeneratedRegex("^[a-z0-9-]{3,64}$")]
    private static partial Regex IdFormat();

    private sealed record RowPlan(int Line, string Id, Vendor Vendor, VendorRecord? Existing);
}

public sealed record VendorImportError(int Line, string Column, string Message);

public sealed record VendorImportReport(string Encoding, int Rows, int Created, int Updated, int Unchanged, IReadOnlyList<VendorImportError> Errors, bool Applied)
{
    public static VendorImportReport Failed(string encoding, IReadOnlyList<VendorImportError> errors) => new(encoding, 0, 0, 0, 0, errors, Applied: false);
}
