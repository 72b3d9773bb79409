using System.Net.Mail;
using System.Text.RegularExpressions;

namespace FunctionsPortal.Vendors;

/// <summary>Checks a vendor record and names every bad field (JSON path → messages), so one answer fixes everything.</summary>
public static partial class VendorValidator
{
    /// <summary>Trims text and turns absent lists into empty ones, so stored records are tidy and comparable.</summary>
    public static Vendor Normalize(Vendor vendor)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        static Person? TrimPerson(Person? person) => person is null ? null : new Person(person.Name?.Trim()!, Trim(person.Title), person.Email?.Trim()!, Trim(person.Phone));
        return vendor with
        {
            ParentId = Trim(vendor.ParentId),
            LegalName = vendor.LegalName is null ? null! : new LocalizedName(vendor.LegalName.Ja?.Trim()!, Trim(vendor.LegalName.En)),
            CorporateNumber = Trim(vendor.CorporateNumber),
            BusinessCategory = vendor.BusinessCategory?.Trim()!,
            ResponsibleOfficer = TrimPerson(vendor.ResponsibleOfficer)!,
            Contacts = (vendor.Contacts ?? []).Select(contact => TrimPerson(contact)!).ToList(),
            InternalOwner = vendor.InternalOwner is null ? null! : new InternalOwner(vendor.InternalOwner.Name?.Trim()!, vendor.InternalOwner.Email?.Trim()!, Trim(vendor.InternalOwner.EntraObjectId)),
            DataCategories = (vendor.DataCategories ?? []).Select(value => value.Trim()).ToList(),
            Countries = vendor.Countries is null ? null! : new VendorCountries(vendor.Countries.Company?.Trim()!, (vendor.Countries.Storage ?? []).Select(value => value.Trim()).ToList(), (vendor.Countries.Access ?? []).Select(value => value.Trim()).ToList()),
            Certifications = vendor.Certifications ?? [],
            WorkLocations = (vendor.WorkLocations ?? []).Select(value => value.Trim()).ToList(),
            CloudServices = (vendor.CloudServices ?? []).Select(Trim).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            LifecycleStatus = vendor.LifecycleStatus?.Trim() ?? VendorVocabulary.LifecycleOnboarding,
            Notes = Trim(vendor.Notes),
            Scope = Trim(vendor.Scope),
        };
    }

    public static Dictionary<string, string[]> Validate(Vendor vendor)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        var errors = new Errors();

        if (string.IsNullOrWhiteSpace(vendor.LegalName?.Ja))
        {
            errors.Add("legalName.ja", "The legal name in Japanese (法人名) is required.");
        }
        else
        {
            errors.MaxLength("legalName.ja", vendor.LegalName.Ja, 200);
        }

        errors.MaxLength("legalName.en", vendor.LegalName?.En, 200);
        var companyCountry = vendor.Countries?.Company;
        if (vendor.CorporateNumber is { Length: > 0 } number)
        {
            if (!CorporateNumber.IsValid(number))
            {
                errors.Add("corporateNumber", $"'{number}' is not a valid corporate number (法人番号): 13 digits whose first digit is the check digit.");
            }
        }
        else if (companyCountry == "JP")
        {
            errors.Add("corporateNumber", "A company in Japan needs its corporate number (法人番号); it is optional only for companies abroad.");
        }

        errors.OneOf("businessCategory", vendor.BusinessCategory, VendorVocabulary.BusinessCategories);
        errors.Person("responsibleOfficer", vendor.ResponsibleOfficer, titleRequired: true);
        for (var i = 0; i < vendor.Contacts.Count; i++)
        {
            errors.Person($"contacts[{i}]", vendor.Contacts[i], titleRequired: false);
        }

        if (vendor.InternalOwner is null)
        {
            errors.Add("internalOwner", "The internal owner (社内担当者) is required.");
        }
        else
        {
            errors.Required("internalOwner.name", vendor.InternalOwner.Name);
            errors.Email("internalOwner.email", vendor.InternalOwner.Email);
            if (vendor.InternalOwner.EntraObjectId is { Length: > 0 } objectId && !Guid.TryParse(objectId, out _))
            {
                errors.Add("internalOwner.entraObjectId", "The Entra object id must be a GUID.");
            }
        }

        errors.AllOf("dataCategories", vendor.DataCategories, VendorVocabulary.DataCategories);
        if (vendor.DataCategories.Contains("none") && vendor.DataCategories.Count > 1)
        {
            errors.Add("dataCategories", "'none' cannot be combined with other data categories.");
        }

        if (vendor.ApproximateRecords is < 0)
        {
            errors.Add("approximateRecords", "The number of records cannot be negative.");
        }

        if (vendor.Countries is null)
        {
            errors.Add("countries", "Countries (of the company, of storage, of access) are required.");
        }
        else
        {
            errors.Country("countries.company", vendor.Countries.Company);
            for (var i = 0; i < vendor.Countries.Storage.Count; i++)
            {
                errors.Country($"countries.storage[{i}]", vendor.Countries.Storage[i]);
            }

            for (var i = 0; i < vendor.Countries.Access.Count; i++)
            {
                errors.Country($"countries.access[{i}]", vendor.Countries.Access[i]);
            }
        }

        for (var i = 0; i < vendor.Certifications.Count; i++)
        {
            errors.OneOf($"certifications[{i}].type", vendor.Certifications[i].Type, VendorVocabulary.CertificationTypes);
            if (vendor.Certifications[i].Type == "other" && string.IsNullOrWhiteSpace(vendor.Certifications[i].Name))
            {
                errors.Add($"certifications[{i}].name", "Name the certification when its type is 'other'.");
            }
        }

        errors.AllOf("workLocations", vendor.WorkLocations, VendorVocabulary.WorkLocations);
        if (vendor.CloudServices.Count > MaxCloudServices)
        {
            errors.Add("cloudServices", $"At most {MaxCloudServices} cloud services ({vendor.CloudServices.Count} given).");
        }

        for (var i = 0; i < vendor.CloudServices.Count; i++)
        {
            errors.MaxLength($"cloudServices[{i}]", vendor.CloudServices[i], 200);
        }

        if (vendor.Contract is { StartOn: { } start, EndOn: { } end } && end < start)
        {
            errors.Add("contract.endOn", "The contract cannot end before it starts.");
        }

        errors.OneOf("lifecycleStatus", vendor.LifecycleStatus, VendorVocabulary.LifecycleStatuses);
        errors.MaxLength("notes", vendor.Notes, 4000);
        errors.MaxLength("scope", vendor.Scope, 2000);
        if (vendor.PriorApproval is { } approval)
        {
            if (vendor.ParentId is null)
            {
                errors.Add("priorApproval", "Prior approval applies to subcontractors only (set parentId).");
            }

            errors.OneOf("priorApproval.status", approval.Status, VendorVocabulary.ApprovalStatuses);
            if (approval.Status == "rejected" && string.IsNullOrWhiteSpace(approval.Reason))
            {
                errors.Add("priorApproval.reason", "Say why the subcontracting was rejected.");
            }
        }

        return errors.ToDictionary();
    }

    public const int MaxCloudServices = 50;

    public static bool IsEmail(string? value) =>
        value is { Length: > 2 and <= 254 } && MailAddress.TryCreate(value, out var address) && address.Address == value && !value.Contains(' ', StringComparison.Ordinal);

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var messages))
            {
                _errors[field] = messages = [];
            }

            messages.Add(message);
        }

        public void Required(string field, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Add(field, "This field is required.");
            }
        }

        public void MaxLength(string field, string? value, int max)
        {
            if (value is not null && value.Length > max)
            {
                Add(field, $"At most {max} characters ({value.Length} given).");
            }
        }

        public void Email(string field, string? value)
        {
            if (!IsEmail(value))
            {
                Add(field, $"'{value}' is not an email address.");
            }
        }

        public void OneOf(string field, string? value, IReadOnlySet<string> allowed)
        {
            if (value is null || !allowed.Contains(value))
            {
                Add(field, $"'{value}' is not one of: {string.Join(", ", allowed)}.");
            }
        }

        public void AllOf(string field, IReadOnlyList<string>? values, IReadOnlySet<string> allowed)
        {
            foreach (var value in values ?? [])
            {
                if (!allowed.Contains(value))
                {
                    Add(field, $"'{value}' is not one of: {string.Join(", ", allowed)}.");
                }
            }

            if (values is not null && values.Distinct(StringComparer.Ordinal).Count() != values.Count)
            {
                Add(field, "Each value may appear once.");
            }
        }

        public void Country(string field, string? value)
        {
            if (value is null || !CountryCode().IsMatch(value))
            {
                Add(field, $"'{value}' is not an ISO 3166 two-letter country code (e.g. JP, US).");
            }
        }

        public void Person(string field, Person? person, bool titleRequired)
        {
            if (person is null)
            {
                Add(field, "This person is required.");
                return;
            }

            Required($"{field}.name", person.Name);
            if (titleRequired)
            {
                Required($"{field}.title", person.Title);
            }

            Email($"{field}.email", person.Email);
        }

        public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }
}
