using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Subcontractors;

/// <summary>
/// A vendor declares its subcontractors (再委託先) from its own pages. Each becomes a registry entry under the vendor
/// with a prior-approval request for staff (PUT /api/vendors/{id}/prior-approval decides); once approved — or at once
/// when approval is not required — the hourly planner sends it its own link for the handling-method document.
/// </summary>
public sealed class SubcontractorDeclarations(VendorRegistry registry, AssignmentStore assignments, IOptions<SurveyOptions> options)
{
    public async Task<IReadOnlyList<SubcontractorStatus>> ListAsync(string vendorId, CancellationToken cancellationToken)
    {
        var children = (await registry.SubcontractorsOfAsync(vendorId, cancellationToken)).OrderBy(child => child.Id, StringComparer.Ordinal).ToList();
        // The planner files every handling-method request under one cycle, so each key is known: point reads, side by side.
        var documents = await Task.WhenAll(children.Select(child =>
            assignments.FindAsync(AssignmentKey.For(SurveyPlanner.OnboardingCycle, child.Id, SurveyKinds.HandlingMethod), cancellationToken)));
        return children.Select((child, i) => new SubcontractorStatus(
            child.Id, child.Vendor.LegalName.Ja, child.Vendor.Scope, child.Vendor.PriorApproval?.Status ?? "approved", documents[i]?.Status)).ToList();
    }

    /// <summary>Registers a declared subcontractor under the vendor; returns the validation errors, if any.</summary>
    public async Task<IReadOnlyDictionary<string, string[]>> DeclareAsync(string vendorId, SubcontractorInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var parent = await registry.FindAsync(vendorId, cancellationToken) ?? throw new VendorNotFoundException(vendorId);
        var country = (input.Country ?? "").Trim().ToUpperInvariant();
        var needsApproval = options.Value.SubcontractorRequestNeedsApproval;
        var vendor = new Vendor
        {
            ParentId = vendorId,
            LegalName = new LocalizedName((input.Name ?? "").Trim()),
            CorporateNumber = string.IsNullOrWhiteSpace(input.CorporateNumber) ? null : input.CorporateNumber.Trim(),
            BusinessCategory = parent.Vendor.BusinessCategory,
            ResponsibleOfficer = new Person((input.ContactName ?? "").Trim(), "担当者 / Contact", (input.ContactEmail ?? "").Trim()),
            InternalOwner = parent.Vendor.InternalOwner,
            DataCategories = input.HandlesPersonalData ? parent.Vendor.DataCategories : ["none"],
            Countries = new VendorCountries(country, [country], [country]),
            Scope = (input.Scope ?? "").Trim(),
            LifecycleStatus = VendorVocabulary.LifecycleOnboarding,
            PriorApproval = new PriorApproval(needsApproval ? "requested" : "approved", needsApproval ? null : "policy: no prior approval required", null, null),
            Notes = $"Declared by {parent.Vendor.LegalName.Ja} on its survey pages.",
        };

        try
        {
            await registry.CreateAsync(vendor, $"vendor:{vendorId}", cancellationToken);
            return new Dictionary<string, string[]>();
        }
        catch (VendorValidationException exception)
        {
            return exception.Errors;
        }
        catch (VendorConflictException)
        {
            return new Dictionary<string, string[]> { ["corporateNumber"] = ["This corporate number is already registered / この法人番号は登録済みです。"] };
        }
    }
}

/// <summary>How a declared subcontractor stands: our prior approval, and its handling-method document.</summary>
public sealed record SubcontractorStatus(string Id, string Name, string? Scope, string Approval, string? DocumentStatus);

public sealed record SubcontractorInput(string? Name, string? CorporateNumber, string? Country, string? Scope, bool HandlesPersonalData, string? ContactName, string? ContactEmail);
