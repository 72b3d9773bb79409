using System.Globalization;
using FunctionsPortal.Spreadsheets;

namespace FunctionsPortal.Vendors;

/// <summary>
/// The vendor CSV layout (one row per vendor or subcontractor). Lists are separated by ';', a certification is
/// <c>type|name|number|expiresOn</c>. Contacts and prior-approval decisions are not in the CSV and are kept as they are, and
/// so are the columns added later (<see cref="AddedLater"/>) when a file made before them lacks them.
/// </summary>
public static class VendorCsv
{
    public static readonly string[] Columns =
    [
        "id", "parentId", "legalNameJa", "legalNameEn", "corporateNumber", "businessCategory",
        "officerName", "officerTitle", "officerEmail", "ownerName", "ownerEmail", "ownerEntraObjectId",
        "dataCategories", "approximateRecords", "companyCountry", "storageCountries", "accessCountries",
        "certifications", "workLocations", "contractStart", "contractEnd", "lifecycleStatus", "scope", "notes",
        "subcontracts", "cloudServices",
        "computedTier", "effectiveTier",
    ];

    /// <summary>Columns a file may lack (it was exported before they existed): the vendor keeps what it has.</summary>
    public static readonly IReadOnlySet<string> AddedLater = new HashSet<string>(["subcontracts", "cloudServices"], StringComparer.Ordinal);

    /// <summary>Written on export for people reading the file; ignored on import.</summary>
    public static readonly IReadOnlySet<string> ExportOnly = new HashSet<string>(["computedTier", "effectiveTier"], StringComparer.Ordinal);

    /// <summary>Validator field paths → the CSV column a person fixes.</summary>
    private static readonly Dictionary<string, string> FieldColumns = new(StringComparer.Ordinal)
    {
        ["parentId"] = "parentId", ["legalName.ja"] = "legalNameJa", ["legalName.en"] = "legalNameEn", ["corporateNumber"] = "corporateNumber",
        ["businessCategory"] = "businessCategory", ["responsibleOfficer.name"] = "officerName", ["responsibleOfficer.title"] = "officerTitle",
        ["responsibleOfficer.email"] = "officerEmail", ["internalOwner.name"] = "ownerName", ["internalOwner.email"] = "ownerEmail",
        ["internalOwner.entraObjectId"] = "ownerEntraObjectId", ["dataCategories"] = "dataCategories", ["approximateRecords"] = "approximateRecords",
        ["countries.company"] = "companyCountry", ["workLocations"] = "workLocations", ["contract.endOn"] = "contractEnd",
        ["lifecycleStatus"] = "lifecycleStatus", ["scope"] = "scope", ["notes"] = "notes", ["subcontracts"] = "subcontracts",
    };

    public static string ColumnFor(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (FieldColumns.TryGetValue(field, out var column))
        {
            return column;
        }

        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        var head = bracket < 0 ? field : field[..bracket];
        return head switch
        {
            "countries.storage" => "storageCountries",
            "countries.access" => "accessCountries",
            "certifications" => "certifications",
            "cloudServices" => "cloudServices",
            _ => field,
        };
    }

    /// <summary>Vendors first, then subcontractors, each by Japanese name then id: the order every export lists them in.</summary>
    public static IReadOnlyList<VendorView> InExportOrder(IEnumerable<VendorView> views) =>
        views.OrderBy(view => view.Vendor.ParentId is not null).ThenBy(view => view.Vendor.LegalName.Ja, StringComparer.Ordinal).ThenBy(view => view.Id, StringComparer.Ordinal).ToList();

    /// <summary>The registry as a CSV download, each row labelled by its vendor id (named when Shift_JIS replaced a character).</summary>
    public static CsvDownload Download(IEnumerable<VendorView> views, string encoding) =>
        CsvDownload.Create(Columns, InExportOrder(views).Select(view => ((string?)view.Id, (IReadOnlyList<string?>)ToRow(view))), encoding);

    public static string[] ToRow(VendorView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var vendor = view.Vendor;
        return
        [
            view.Id, vendor.ParentId ?? "", vendor.LegalName.Ja, vendor.LegalName.En ?? "", vendor.CorporateNumber ?? "", vendor.BusinessCategory,
            vendor.ResponsibleOfficer.Name, vendor.ResponsibleOfficer.Title ?? "", vendor.ResponsibleOfficer.Email,
            vendor.InternalOwner.Name, vendor.InternalOwner.Email, vendor.InternalOwner.EntraObjectId ?? "",
            string.Join(';', vendor.DataCategories), vendor.ApproximateRecords?.ToString(CultureInfo.InvariantCulture) ?? "",
            vendor.Countries.Company, string.Join(';', vendor.Countries.Storage), string.Join(';', vendor.Countries.Access),
            string.Join(';', vendor.Certifications.Select(certification => string.Join('|', certification.Type, certification.Name ?? "", certification.Number ?? "", Date(certification.ExpiresOn)))),
            string.Join(';', vendor.WorkLocations), Date(vendor.Contract?.StartOn), Date(vendor.Contract?.EndOn), vendor.LifecycleStatus,
            vendor.Scope ?? "", vendor.Notes ?? "", vendor.Subcontracts switch { true => "yes", false => "no", null => "" },
            string.Join(';', vendor.CloudServices), view.Risk.ComputedTier, view.Risk.EffectiveTier,
        ];
    }

    /// <summary>Reads one data row; problems with the row's own format (numbers, dates) go to <paramref name="error"/>.</summary>
    public static (string? Id, Vendor Vendor) FromRow(IReadOnlyDictionary<string, string> cells, Action<string, string> error)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(error);
        string Cell(string column) => cells.TryGetValue(column, out var value) ? value.Trim() : "";
        string? Optional(string column) => Cell(column) is { Length: > 0 } value ? value : null;
        IReadOnlyList<string> List(string column) => Cell(column).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        DateOnly? ParseDate(string column, string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            // Excel in Japan writes 2026/04/01; ISO 2026-04-01 is accepted too.
            if (DateOnly.TryParseExact(text.Trim(), ["yyyy-MM-dd", "yyyy/MM/dd", "yyyy/M/d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            error(column, $"'{text}' is not a date (use 2026-04-01).");
            return null;
        }

        long? records = null;
        if (Optional("approximateRecords") is { } recordsText)
        {
            if (long.TryParse(recordsText.Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                records = parsed;
            }
            else
            {
                error("approximateRecords", $"'{recordsText}' is not a whole number.");
            }
        }

        var certifications = new List<Certification>();
        foreach (var entry in List("certifications"))
        {
            var parts = entry.Split('|');
            if (parts.Length != 4)
            {
                error("certifications", $"'{entry}' should be type|name|number|expiresOn (empty parts allowed).");
                continue;
            }

            certifications.Add(new Certification(parts[0].Trim(), NullIfEmpty(parts[1]), NullIfEmpty(parts[2]), ParseDate("certifications", parts[3])));
        }

        bool? subcontracts = null;
        switch (Optional("subcontracts")?.ToLowerInvariant())
        {
            case null:
                break;
            case "yes" or "true" or "1" or "あり" or "有":
                subcontracts = true;
                break;
            case "no" or "false" or "0" or "なし" or "無":
                subcontracts = false;
                break;
            default:
                error("subcontracts", $"'{Cell("subcontracts")}' is not yes or no (empty: unknown).");
                break;
        }

        var start = ParseDate("contractStart", Optional("contractStart"));
        var end = ParseDate("contractEnd", Optional("contractEnd"));
        var vendor = new Vendor
        {
            ParentId = Optional("parentId"),
            LegalName = new LocalizedName(Cell("legalNameJa"), Optional("legalNameEn")),
            CorporateNumber = Optional("corporateNumber"),
            BusinessCategory = Cell("businessCategory"),
            ResponsibleOfficer = new Person(Cell("officerName"), Optional("officerTitle"), Cell("officerEmail")),
            InternalOwner = new InternalOwner(Cell("ownerName"), Cell("ownerEmail"), Optional("ownerEntraObjectId")),
            DataCategories = List("dataCategories"),
            ApproximateRecords = records,
            Countries = new VendorCountries(Cell("companyCountry").ToUpperInvariant(), List("storageCountries").Select(code => code.ToUpperInvariant()).ToList(), List("accessCountries").Select(code => code.ToUpperInvariant()).ToList()),
            Certifications = certifications,
            WorkLocations = List("workLocations"),
            Contract = start is null && end is null ? null : new ContractPeriod(start, end),
            LifecycleStatus = Optional("lifecycleStatus") ?? VendorVocabulary.LifecycleOnboarding,
            Scope = Optional("scope"),
            Notes = Optional("notes"),
            Subcontracts = subcontracts,
            CloudServices = List("cloudServices"),
        };
        return (Optional("id"), vendor);
    }

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
