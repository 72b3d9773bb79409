using FunctionsPortal.Audit;
using FunctionsPortal.Hosting;
using FunctionsPortal.StaffPages.Shell;
using FunctionsPortal.Submissions;
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
        return pages;
    }

    internal static async Task<IResult> ListAsync(
        StaffPageContext page, VendorRegistry registry, CancellationToken cancellationToken,
        string? q = null, string? tier = null, string? status = null, string? category = null, string? next = null)
    {
        var filters = new VendorFilters(Blank(q), Known(tier, VendorVocabulary.RiskTiers), Known(status, VendorVocabulary.LifecycleStatuses), Known(category, VendorVocabulary.BusinessCategories));
        var result = await registry.ListAsync(new VendorQuery(filters.Status, filters.Tier, filters.Category, null, filters.Search, PageSize, next), cancellationToken);
        return PageResults.Render(new VendorListView(page, filters, result.Items, result.Total, result.Next));
    }

    internal static async Task<IResult> ShowAsync(
        string id, StaffPageContext page, VendorRegistry registry, SubmissionStore submissions, AuditTrail audit, AuditVerifier verifier, CancellationToken cancellationToken)
    {
        if (await registry.FindAsync(id, cancellationToken) is not { } vendor)
        {
            return PageResults.Render(new StaffMessageView(page, "委託先が見つかりません", "No such vendor",
                $"「{id}」という委託先は登録されていません。", $"There is no vendor '{id}'."), StatusCodes.Status404NotFound);
        }

        var parent = vendor.Vendor.ParentId is { } parentId ? await registry.FindAsync(parentId, cancellationToken) : null;
        var tree = await registry.TreeAsync(id, cancellationToken);
        var history = await submissions.ListForVendorAsync(id, cancellationToken);
        var trail = new VendorAuditTrail(await audit.ListAsync(id, AuditRecordsShown, null, cancellationToken), await verifier.VerifyChainAsync(id, cancellationToken));
        return PageResults.Render(new VendorDetailView(page, vendor, parent, tree?.Subcontractors ?? [], history, trail));
    }

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

public sealed record VendorListView(StaffPageContext Page, VendorFilters Filters, IReadOnlyList<VendorSummary> Vendors, int Total, string? Next) : IStaffPageView<VendorListPage>;

public sealed record VendorDetailView(
    StaffPageContext Page, VendorView Vendor, VendorView? Parent, IReadOnlyList<SubcontractorNode> Subcontractors, IReadOnlyList<SubmissionRecord> History,
    VendorAuditTrail Audit)
    : IStaffPageView<VendorDetailPage>;

/// <summary>The vendor's latest audit records and its chain's verification (a read of that one partition, never a table scan).</summary>
public sealed record VendorAuditTrail(AuditPage Latest, ChainVerification Verification);
