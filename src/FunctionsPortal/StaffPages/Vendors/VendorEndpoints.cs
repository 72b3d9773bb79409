using FunctionsPortal.Audit;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Incidents;
using FunctionsPortal.Hosting;
using FunctionsPortal.Mail;
using FunctionsPortal.ManagementLevels;
using FunctionsPortal.RegistryProposals;
using FunctionsPortal.StaffPages.Incidents;
using FunctionsPortal.StaffPages.Shell;
using FunctionsPortal.Subcontractors;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.StaffPages.Vendors;

/// <summary>The registry as staff browse it: GET /staff/vendors (search, filters, pages) and GET /staff/vendors/{id}.</summary>
internal static class VendorEndpoints
{
    private const int PageSize = 50;
    private const int AuditRecordsShown = 20;

    public static RouteGroupBuilder MapVendors(this RouteGroupBuilder pages)
    {
        pages.MapGet("/vendors", ListAsync);
        pages.MapGet("/vendors/{id}", ShowAsync);
        pages.MapVendorChanges();
        pages.MapProposalDecisions();
        pages.MapManagementChanges();
        pages.MapContractChanges();
        return pages;
    }

    public static string Url(string id) => $"/staff/vendors/{Uri.EscapeDataString(id)}";

    internal static async Task<IResult> ListAsync(
        StaffPageContext page, VendorRegistry registry, CancellationToken cancellationToken,
        string? q = null, string? tier = null, string? status = null, string? category = null, string? next = null)
    {
        var filters = new VendorFilters(Blank(q), Known(tier, VendorVocabulary.RiskTiers), Known(status, VendorVocabulary.LifecycleStatuses), Known(category, VendorVocabulary.BusinessCategories));
        var result = await registry.ListAsync(new VendorQuery(filters.Status, filters.Tier, filters.Category, null, filters.Search, PageSize, next), cancellationToken);
        return PageResults.Render(new VendorListView(page, filters, result.Items, result.Total, result.Next));
    }

    internal static async Task<IResult> ShowAsync(
        string id, StaffPageContext page, VendorRegistry registry, SubmissionStore submissions, AssignmentStore assignments,
        MailOutbox outbox, SurveyLinks links, AuditTrail audit, AuditVerifier verifier, SubmissionSealer sealer,
        CorrectiveActionStore actions, ManagementTracker management, ProposalDecisions proposals, HandlingDocuments handlingDocuments, TimeProvider clock,
        IncidentStore incidents, IncidentClock incidentClock, CancellationToken cancellationToken)
    {
        // One read of the registry for the vendor, its parent, its tree, the declarations linked to it and its match.
        if (await registry.DetailAsync(id, cancellationToken) is not { } detail)
        {
            return PageResults.Render(new StaffMessageView(page, "委託先が見つかりません", "No such vendor",
                $"「{id}」という委託先は登録されていません。", $"There is no vendor '{id}'."), StatusCodes.Status404NotFound);
        }

        var (vendor, parent, tree) = (detail.Vendor, detail.Parent, detail.Tree);
        var history = await submissions.ListForVendorAsync(id, cancellationToken);
        var versions = await registry.PreviousVersionsAsync(id, cancellationToken, limit: 20);

        // The last 13 months' surveys with their mails: the vendor's cycles, a range query per cycle and one query per survey's mails.
        var recent = await assignments.ListForVendorAsync(id, clock.GetUtcNow().AddMonths(-13), cancellationToken);
        var surveys = await Task.WhenAll(recent.Select(async assignment => new VendorAssignment(
            assignment, await outbox.ListAsync(assignment.Key, cancellationToken), assignment.CurrentLinkHash is null ? null : links.ExpiresAt(assignment))));
        // The documents of the latest sealed survey of each kind: one blob read each (the seal names exactly these files).
        var documents = await Task.WhenAll(history.GroupBy(record => record.Kind).Select(kind => kind.First()).Select(async latest =>
            new SealedDocuments(latest, (await sealer.FindAsync(latest.AssignmentKey, latest.Version, cancellationToken))?.Payload.Evidence ?? [])));
        var trail = new VendorAuditTrail(await audit.ListAsync(id, AuditRecordsShown, null, cancellationToken), await verifier.VerifyChainAsync(id, cancellationToken));
        // The ledger (one range query over the vendor's actions) and the management level (one point read).
        var ledger = RiskLedger.For(id, await actions.ListForVendorAsync(id, cancellationToken), DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(SurveyLinks.Japan).DateTime));
        // The handling-method document of each subcontractor awaiting a decision (this one, or those in its tree): point reads.
        var undecided = Flatten(tree.Subcontractors).Where(node => node.Match is null && node.PriorApproval?.Status is null or "requested").Select(node => node.Id)
            .Concat(vendor.Vendor.ParentId is not null && vendor.Vendor.Match is null && vendor.Vendor.PriorApproval?.Status is null or "requested" ? new[] { id } : []);
        return PageResults.Render(new VendorDetailView(page, vendor, parent, tree.Subcontractors, history, surveys, versions, trail)
        {
            Proposals = await proposals.PendingAsync(id, cancellationToken),
            HandlingDocuments = await handlingDocuments.OfAsync(undecided, cancellationToken),
            Documents = documents,
            Ledger = ledger,
            Management = await management.GetAsync(id, cancellationToken),
            LinkedDeclarations = detail.LinkedDeclarations,
            Match = detail.Match,
            // One range query over the vendor's incidents, open ones first.
            Incidents = [.. (await incidents.ListForVendorAsync(id, cancellationToken)).Select(incident => IncidentDeadlines.Of(incident, incidentClock, clock.GetUtcNow()))
                .OrderBy(deadlines => deadlines.Incident.IsOpen ? 0 : 1).ThenByDescending(deadlines => deadlines.Incident.AwareAt)],
        });
    }

    private static IEnumerable<SubcontractorNode> Flatten(IEnumerable<SubcontractorNode> nodes) =>
        nodes.SelectMany(node => Flatten(node.Subcontractors).Prepend(node));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A filter value the registry knows, else none (a hand-edited address never breaks the page).</summary>
    private static string? Known(string? value, IReadOnlySet<string> vocabulary) => value is not null && vocabulary.Contains(value) ? value : null;
}

public sealed record VendorFilters(string? Search, string? Tier, string? Status, string? Category)
{
    /// <summary>The query string for these filters (the next page keeps them).</summary>
    public string Query(string? next = null)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("q", Search);
        Add("tier", Tier);
        Add("status", Status);
        Add("category", Category);
        Add("next", next);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}

public sealed record VendorListView(StaffPageContext Page, VendorFilters Filters, IReadOnlyList<VendorSummary> Vendors, int? Total, string? Next) : IStaffPageView<VendorListPage>;

public sealed record VendorDetailView(
    StaffPageContext Page, VendorView Vendor, VendorView? Parent, IReadOnlyList<SubcontractorNode> Subcontractors, IReadOnlyList<SubmissionRecord> History,
    IReadOnlyList<VendorAssignment> Assignments, IReadOnlyList<VendorRecord> PreviousVersions, VendorAuditTrail Audit)
    : IStaffPageView<VendorDetailPage>
{
    public IReadOnlyList<SealedDocuments> Documents { get; init; } = [];

    public RiskLedger? Ledger { get; init; }

    public VendorManagement? Management { get; init; }

    /// <summary>Vendors whose declared subcontractor staff linked to this vendor: it subcontracts for them too.</summary>
    public IReadOnlyList<LinkedDeclaration> LinkedDeclarations { get; init; } = [];

    /// <summary>Registry changes the vendor's scoping answers propose, waiting for staff.</summary>
    public IReadOnlyList<RegistryProposal> Proposals { get; init; } = [];

    /// <summary>The handling-method documents of the subcontractors awaiting prior approval (this one, or those below it), by id.</summary>
    public IReadOnlyDictionary<string, HandlingDocument> HandlingDocuments { get; init; } = new Dictionary<string, HandlingDocument>();

    /// <summary>The vendor's incidents with their reporting clocks, open ones first.</summary>
    public IReadOnlyList<IncidentDeadlines> Incidents { get; init; } = [];

    /// <summary>For a declared subcontractor: the registered vendor its corporate number belongs to.</summary>
    public RegistryMatchView? Match { get; init; }

    /// <summary>The score's change since the same kind of survey sealed before it (history is newest first); null for the first.</summary>
    public decimal? DeltaOf(SubmissionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var index = History.ToList().IndexOf(record);
        var earlier = History.Skip(index + 1).FirstOrDefault(other => other.Kind == record.Kind && other.AssignmentKey != record.AssignmentKey);
        return record.Percentage is { } now && earlier?.Percentage is { } before ? now - before : null;
    }
}

/// <summary>The documents one sealed survey names, with the survey they belong to.</summary>
public sealed record SealedDocuments(SubmissionRecord Survey, IReadOnlyList<SealedEvidence> Files);

/// <summary>A survey of the vendor with its mails and, while a link is in force, when it expires.</summary>
public sealed record VendorAssignment(Assignment Assignment, IReadOnlyList<MailRecord> Mails, DateTimeOffset? LinkExpiresAt);

/// <summary>The vendor's latest audit records and its chain's verification (a read of that one partition, never a table scan).</summary>
public sealed record VendorAuditTrail(AuditPage Latest, ChainVerification Verification);
