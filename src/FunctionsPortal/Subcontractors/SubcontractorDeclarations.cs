using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Subcontractors;

/// <summary>
/// A vendor declares its subcontractors (再委託先) from its own pages. Each becomes a registry entry under the vendor
/// with a prior-approval request for staff (PUT /api/vendors/{id}/prior-approval decides); the hourly planner sends it its
/// own link for the handling-method document at once (or only once approved, with Surveys:SubcontractorRequestNeedsApproval),
/// so the approval can see the document.
/// A corporate number already registered gives the vendor exactly what a new one does (the entry records the match, and
/// staff link it to the registered vendor instead of approving it), so a link cannot tell whether a company is one of ours;
/// and a link may declare only so many (<see cref="SubcontractorOptions"/>).
/// </summary>
public sealed partial class SubcontractorDeclarations(
    VendorRegistry registry, AssignmentStore assignments, DeclarationQuota quota, ILogger<SubcontractorDeclarations> logger)
{
    public async Task<IReadOnlyList<SubcontractorStatus>> ListAsync(string vendorId, CancellationToken cancellationToken)
    {
        var children = (await registry.SubcontractorsOfAsync(vendorId, cancellationToken)).OrderBy(child => child.Id, StringComparer.Ordinal).ToList();
        // The planner files every handling-method request under one cycle, so each key is known: point reads, side by side.
        // A linked declaration shows the registered vendor's document (it gets no request of its own).
        var documents = await Task.WhenAll(children.Select(child =>
            assignments.FindAsync(AssignmentKey.For(SurveyPlanner.OnboardingCycle, child.Vendor.Match is { Linked: true } match ? match.VendorId : child.Id, SurveyKinds.HandlingMethod), cancellationToken)));
        return children.Select((child, i) => new SubcontractorStatus(
            child.Id, child.Vendor.LegalName.Ja, child.Vendor.Scope, child.Vendor.PriorApproval?.Status, documents[i]?.Status)).ToList();
    }

    /// <summary>Registers a declared subcontractor under the vendor, within the link's and the day's allowance.</summary>
    public async Task<DeclarationOutcome> DeclareAsync(string vendorId, string assignmentKey, SubcontractorInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var parent = await registry.RecordAsync(vendorId, cancellationToken) ?? throw new VendorNotFoundException(vendorId);
        var country = (input.Country ?? "").Trim().ToUpperInvariant();
        var vendor = VendorValidator.Normalize(new Vendor
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
            // Prior approval is always asked for; the option only says whether the handling-method request waits for it.
            PriorApproval = new PriorApproval(ApprovalStatuses.Requested, null, null, null),
            Notes = $"Declared by {parent.Vendor.LegalName.Ja} on its survey pages.",
        });

        // Checked before the allowance is used, so correcting a typo costs nothing; the registry is not read yet.
        if (VendorValidator.Validate(vendor) is { Count: > 0 } errors)
        {
            return new DeclarationOutcome(errors, LimitReached: false);
        }

        if (!await quota.TryTakeAsync(vendorId, assignmentKey, cancellationToken))
        {
            LogLimitReached(vendorId, assignmentKey);
            return new DeclarationOutcome(new Dictionary<string, string[]>(), LimitReached: true);
        }

        try
        {
            await registry.DeclareSubcontractorAsync(vendor, $"vendor:{vendorId}", cancellationToken);
            return new DeclarationOutcome(new Dictionary<string, string[]>(), LimitReached: false);
        }
        catch (VendorValidationException exception)
        {
            return new DeclarationOutcome(exception.Errors, LimitReached: false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vendor {VendorId} reached its subcontractor declaration limit (survey {AssignmentKey}); nothing was registered")]
    private partial void LogLimitReached(string vendorId, string assignmentKey);
}

/// <summary>What a declaration came to: field errors (none when registered), or the allowance used up (nothing registered).</summary>
public sealed record DeclarationOutcome(IReadOnlyDictionary<string, string[]> Errors, bool LimitReached)
{
    public bool Registered => Errors.Count == 0 && !LimitReached;
}

/// <summary>How a declared subcontractor stands: our prior approval (null: none requested or recorded), and its handling-method document.</summary>
public sealed record SubcontractorStatus(string Id, string Name, string? Scope, string? Approval, string? DocumentStatus);

public sealed record SubcontractorInput(string? Name, string? CorporateNumber, string? Country, string? Scope, bool HandlesPersonalData, string? ContactName, string? ContactEmail);
