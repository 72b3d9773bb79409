using System.Security.Claims;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.Spreadsheets;
using FunctionsPortal.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Vendors;

/// <summary>
/// /api/vendors: the registry for staff (read: any staff role; change: administrators). Updates need the
/// <c>If-Match</c> ETag from a read; a stale one is 409 and nothing is overwritten. A subcontractor's prior approval is
/// decided in Subcontractors (it looks at the handling-method document).
/// </summary>
internal static class VendorsApi
{
    public static IEndpointRouteBuilder MapVendorsApi(this IEndpointRouteBuilder endpoints)
    {
        var limits = endpoints.ServiceProvider.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
        var group = endpoints.MapGroup("/api/vendors").WithTags("Vendors").RequireAuthorization(StaffRoles.StaffPolicy);
        group.MapGet("/", ListAsync).WithName("ListVendors").WithSummary("List vendors and subcontractors, filtered and paged.");
        group.MapGet("/export.csv", ExportAsync).WithName("ExportVendorsCsv").WithSummary("All vendors as CSV (encoding=utf-8, with BOM, or shift_jis).");
        group.MapPost("/import", ImportAsync).WithName("ImportVendorsCsv").RequireAuthorization(StaffRoles.AdminPolicy)
            .WithSummary("Import a CSV (UTF-8 or Shift_JIS, detected). All-or-nothing unless partial=true; re-importing the same file changes nothing.")
            .Accepts<byte[]>("text/csv").DisableAntiforgery().WithBodyLimit(limits.VendorCsvBytes).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/scope", ScopeAsync).WithName("FindVendorsInScope")
            .WithSummary("Vendors and subcontractors handling any of these data categories, systems or locations (repeatable), and the subcontractors of vendorId, with record counts.");
        group.MapGet("/{id}", GetAsync).WithName("GetVendor");
        group.MapPost("/", CreateAsync).WithName("CreateVendor").RequireAuthorization(StaffRoles.AdminPolicy);
        group.MapPut("/{id}", UpdateAsync).WithName("UpdateVendor").RequireAuthorization(StaffRoles.AdminPolicy);
        group.MapGet("/{id}/subcontractors", TreeAsync).WithName("GetSubcontractorTree").WithSummary("The vendor and its subcontractors at every depth.");
        group.MapGet("/{id}/risk", RiskAsync).WithName("GetVendorRisk").WithSummary("Risk tier with the rules that produced it, the override and the survey plan.");
        group.MapPut("/{id}/risk-override", SetRiskOverrideAsync).WithName("OverrideVendorRisk").RequireAuthorization(StaffRoles.AdminPolicy);
        group.MapDelete("/{id}/risk-override", ClearRiskOverrideAsync).WithName("ClearVendorRiskOverride").RequireAuthorization(StaffRoles.AdminPolicy);
        group.MapPost("/{id}/link", LinkAsync).WithName("LinkDeclaredSubcontractor").RequireAuthorization(StaffRoles.AdminPolicy)
            .WithSummary("Link a declared subcontractor that matches a registered vendor (vendor.match) to that vendor, instead of approving it.");
        group.MapPost("/list-index/rebuild", async (VendorStore store, CancellationToken cancellationToken) => TypedResults.Ok(new ListIndexRebuilt(await store.RebuildListIndexAsync(cancellationToken))))
            .WithName("RebuildVendorListIndex").WithSummary("Rewrites the staff list's rows, the attention rows and the scope index from the registry (a registry scan).")
            .RequireAuthorization(StaffRoles.AdminPolicy);
        endpoints.MapGet("/api/risk-rules", (VendorRegistry registry) => TypedResults.Ok(registry.RuleTable))
            .WithTags("Vendors").WithName("GetRiskRules").WithSummary("The rule table that computes risk tiers, and each tier's survey plan.")
            .RequireAuthorization(StaffRoles.StaffPolicy);
        return endpoints;
    }

    internal static async Task<Results<Ok<VendorPage>, ValidationProblem>> ListAsync(
        VendorRegistry registry, CancellationToken cancellationToken,
        string? status = null, string? tier = null, string? category = null, string? parentId = null, string? q = null, int? pageSize = null, string? continuation = null,
        string? approval = null)
    {
        try
        {
            return TypedResults.Ok(await registry.ListAsync(new VendorQuery(status, tier, category, parentId, q, pageSize, continuation, approval), cancellationToken));
        }
        catch (VendorValidationException exception)
        {
            return TypedResults.ValidationProblem(exception.Errors);
        }
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(
        VendorImport import, HttpResponse response, TimeProvider timeProvider, CancellationToken cancellationToken, string encoding = TextEncodings.Utf8)
    {
        if (!TextEncodings.IsKnown(encoding))
        {
            return TypedResults.Problem(statusCode: 400, title: "Unknown encoding / 文字コードが不明です", detail: $"encoding must be {TextEncodings.Utf8} or {TextEncodings.ShiftJis}.");
        }

        // Shift_JIS never fails: characters it lacks become 〓 and the X-Export-Replaced header names the rows (as /api/exports does).
        var file = await import.ExportAsync(encoding, cancellationToken);
        file.AddHeaders(response);
        return TypedResults.File(file.Content, file.ContentType, $"vendors-{timeProvider.GetUtcNow():yyyyMMdd}.csv");
    }

    internal static async Task<Results<Ok<VendorImportReport>, ProblemHttpResult>> ImportAsync(
        HttpContext context, VendorImport import, ClaimsPrincipal user, CancellationToken cancellationToken, bool partial = false)
    {
        // Past the endpoint's limit this throws, and the exception handler answers 413.
        using var buffer = await BoundedBody.ReadAsync(context, cancellationToken);
        var report = await import.ImportAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), partial, StaffRoles.NameOf(user), cancellationToken);
        if (!report.Applied)
        {
            var problem = new ProblemDetails
            {
                Status = 400,
                Title = "Nothing was imported / 取り込みませんでした",
                Detail = $"{report.Errors.Count} problem(s) in the file; fix them and import it again (or use partial=true to import the valid rows).",
            };
            problem.Extensions["report"] = report;
            return TypedResults.Problem(problem);
        }

        return TypedResults.Ok(report);
    }

    internal static async Task<Results<Ok<VendorScopeResult>, ValidationProblem, NotFound<ProblemDetails>>> ScopeAsync(
        VendorScope scope, CancellationToken cancellationToken,
        // Said outright: the generated request delegate would otherwise also accept them as a JSON body, and the route would then want one.
        [FromQuery] string[]? category = null, [FromQuery] string[]? system = null, [FromQuery] string[]? location = null, string? vendorId = null, string? match = null)
    {
        if (match is not (null or "any" or "all"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["match"] = ["match is any (the default) or all / match は any か all です。"] });
        }

        try
        {
            var query = new VendorScopeQuery { Categories = category ?? [], Systems = system ?? [], Locations = location ?? [], VendorId = vendorId, MatchAll = match == "all" };
            return TypedResults.Ok(await scope.FindAsync(query, cancellationToken));
        }
        catch (VendorValidationException exception)
        {
            return TypedResults.ValidationProblem(exception.Errors, title: "The scope query is invalid / 検索条件に誤りがあります");
        }
        catch (VendorNotFoundException exception)
        {
            return NotFound(exception.VendorId);
        }
    }

    internal static async Task<Results<Ok<VendorView>, NotFound<ProblemDetails>>> GetAsync(string id, VendorRegistry registry, HttpResponse response, CancellationToken cancellationToken)
    {
        var view = await registry.FindAsync(id, cancellationToken);
        if (view is null)
        {
            return NotFound(id);
        }

        response.Headers.ETag = view.ETag;
        return TypedResults.Ok(view);
    }

    internal static async Task<Results<Created<VendorView>, ValidationProblem, Conflict<ProblemDetails>>> CreateAsync(
        JsonBody<Vendor> vendor, VendorRegistry registry, ClaimsPrincipal user, HttpResponse response, CancellationToken cancellationToken)
    {
        try
        {
            var view = await registry.CreateAsync(vendor.Value, StaffRoles.NameOf(user), cancellationToken);
            response.Headers.ETag = view.ETag;
            return TypedResults.Created($"/api/vendors/{view.Id}", view);
        }
        catch (VendorValidationException exception)
        {
            return TypedResults.ValidationProblem(exception.Errors, title: "The vendor has invalid fields / 入力内容に誤りがあります");
        }
        catch (VendorConflictException exception)
        {
            return Conflict(exception.Message);
        }
    }

    internal static async Task<Results<Ok<VendorView>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ProblemHttpResult>> UpdateAsync(
        string id, JsonBody<Vendor> vendor, [FromHeader(Name = "If-Match")] string? ifMatch, VendorRegistry registry, ClaimsPrincipal user, HttpResponse response, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return PreconditionRequired();
        }

        try
        {
            var view = await registry.UpdateAsync(id, ifMatch, vendor.Value, StaffRoles.NameOf(user), cancellationToken);
            response.Headers.ETag = view.ETag;
            return TypedResults.Ok(view);
        }
        catch (VendorValidationException exception)
        {
            return TypedResults.ValidationProblem(exception.Errors, title: "The vendor has invalid fields / 入力内容に誤りがあります");
        }
        catch (VendorNotFoundException)
        {
            return NotFound(id);
        }
        catch (Exception exception) when (exception is ConcurrencyConflictException or VendorConflictException)
        {
            return Conflict(exception.Message);
        }
    }

    internal static async Task<Results<Ok<SubcontractorNode>, NotFound<ProblemDetails>>> TreeAsync(string id, VendorRegistry registry, CancellationToken cancellationToken) =>
        await registry.TreeAsync(id, cancellationToken) is { } tree ? TypedResults.Ok(tree) : NotFound(id);

    internal static async Task<Results<Ok<RiskAssessment>, NotFound<ProblemDetails>>> RiskAsync(string id, VendorRegistry registry, CancellationToken cancellationToken) =>
        await registry.FindAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view.Risk) : NotFound(id);

    internal static Task<Results<Ok<VendorView>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ProblemHttpResult>> SetRiskOverrideAsync(
        string id, JsonBody<RiskOverrideRequest> request, [FromHeader(Name = "If-Match")] string? ifMatch, VendorRegistry registry, ClaimsPrincipal user, HttpResponse response, CancellationToken cancellationToken) =>
        ChangeAsync(id, ifMatch, response, () => registry.SetRiskOverrideAsync(id, ifMatch!, request.Value.Tier ?? "", request.Value.Reason, StaffRoles.NameOf(user), cancellationToken));

    internal static Task<Results<Ok<VendorView>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ProblemHttpResult>> ClearRiskOverrideAsync(
        string id, [FromHeader(Name = "If-Match")] string? ifMatch, VendorRegistry registry, ClaimsPrincipal user, HttpResponse response, CancellationToken cancellationToken) =>
        ChangeAsync(id, ifMatch, response, () => registry.SetRiskOverrideAsync(id, ifMatch!, null, null, StaffRoles.NameOf(user), cancellationToken));

    internal static Task<Results<Ok<VendorView>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ProblemHttpResult>> LinkAsync(
        string id, [FromHeader(Name = "If-Match")] string? ifMatch, VendorRegistry registry, ClaimsPrincipal user, HttpResponse response, CancellationToken cancellationToken) =>
        ChangeAsync(id, ifMatch, response, () => registry.LinkAsync(id, ifMatch!, StaffRoles.NameOf(user), cancellationToken));

    private static async Task<Results<Ok<VendorView>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ProblemHttpResult>> ChangeAsync(
        string id, string? ifMatch, HttpResponse response, Func<Task<VendorView>> change)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return PreconditionRequired();
        }

        try
        {
            var view = await change();
            response.Headers.ETag = view.ETag;
            return TypedResults.Ok(view);
        }
        catch (VendorValidationException exception)
        {
            return TypedResults.ValidationProblem(exception.Errors);
        }
        catch (VendorNotFoundException)
        {
            return NotFound(id);
        }
        catch (Exception exception) when (exception is ConcurrencyConflictException or VendorConflictException)
        {
            return Conflict(exception.Message);
        }
    }

    private static NotFound<ProblemDetails> NotFound(string id) =>
        TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Vendor not found / 委託先が見つかりません", Detail = $"There is no vendor {id}." });

    private static Conflict<ProblemDetails> Conflict(string detail) =>
        TypedResults.Conflict(new ProblemDetails { Status = 409, Title = "Conflict / 競合", Detail = detail });

    private static ProblemHttpResult PreconditionRequired() => TypedResults.Problem(
        statusCode: StatusCodes.Status428PreconditionRequired,
        title: "If-Match required / If-Match が必要です",
        detail: "Send the ETag you read (GET returns it) in If-Match, so a concurrent change is never overwritten.");
}

public sealed record RiskOverrideRequest(string? Tier, string? Reason);

/// <summary>approved or rejected, the reason (required to reject, and to approve before the handling-method document arrived), and whether to approve without it.</summary>
public sealed record PriorApprovalRequest(string? Status, string? Reason, bool WithoutDocument = false);

/// <summary>How many vendors the rebuilt list index holds (a named type: generated request delegates cannot name an anonymous one).</summary>
public sealed record ListIndexRebuilt(int Vendors);
