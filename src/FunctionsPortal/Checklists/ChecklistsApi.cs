using System.Security.Claims;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.Spreadsheets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Checklists;

/// <summary>/api/checklists: versions, as JSON and as Excel workbooks. Reading is for any staff, changing for administrators.</summary>
internal static class ChecklistsApi
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IEndpointRouteBuilder MapChecklistsApi(this IEndpointRouteBuilder endpoints)
    {
        var limits = endpoints.ServiceProvider.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
        var group = endpoints.MapGroup("/api/checklists").WithTags("Checklists").RequireAuthorization(StaffRoles.StaffPolicy);
        group.MapGet("/", ListAsync).WithName("ListChecklists");
        group.MapGet("/{id}/versions/{version:int}", GetAsync).WithName("GetChecklistVersion")
            .WithSummary("A checklist version as defined; resolved=true materializes a derived checklist's items.");
        group.MapGet("/{id}/versions/{version:int}/export.xlsx", ExportXlsxAsync).WithName("ExportChecklistXlsx");
        group.MapPost("/", CreateAsync).WithName("CreateChecklistVersion").RequireAuthorization(StaffRoles.AdminPolicy);
        group.MapPut("/{id}/versions/{version:int}", ReplaceAsync).WithName("EditChecklistVersion").RequireAuthorization(StaffRoles.AdminPolicy)
            .WithSummary("Edit a version no survey has used yet (a used version is refused: create a new version).");
        group.MapPost("/import.xlsx", ImportXlsxAsync).WithName("ImportChecklistXlsx").RequireAuthorization(StaffRoles.AdminPolicy)
            .Accepts<byte[]>(Xlsx).DisableAntiforgery().WithBodyLimit(limits.ChecklistXlsxBytes).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return endpoints;
    }

    internal static async Task<Ok<IReadOnlyList<ChecklistVersionInfo>>> ListAsync(ChecklistLibrary library, CancellationToken cancellationToken) =>
        TypedResults.Ok((IReadOnlyList<ChecklistVersionInfo>)(await library.ListAsync(cancellationToken))
            .OrderBy(info => info.Id, StringComparer.Ordinal).ThenBy(info => info.Version).ToList());

    internal static async Task<Results<Ok<ChecklistDefinition>, NotFound<ProblemDetails>>> GetAsync(
        string id, int version, ChecklistLibrary library, CancellationToken cancellationToken, bool resolved = false)
    {
        if (resolved)
        {
            return await library.ResolveAsync(id, version, cancellationToken) is { } materialized
                ? TypedResults.Ok(materialized.Definition with { Sections = materialized.Sections, DerivedFrom = materialized.Definition.DerivedFrom })
                : NotFound(id, version);
        }

        return await library.GetAsync(id, version, cancellationToken) is { } definition ? TypedResults.Ok(definition) : NotFound(id, version);
    }

    internal static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>>> ExportXlsxAsync(string id, int version, ChecklistLibrary library, CancellationToken cancellationToken) =>
        await library.GetAsync(id, version, cancellationToken) is { } definition
            ? TypedResults.File(ChecklistXlsx.Export(definition), Xlsx, $"{id}-v{version}.xlsx")
            : NotFound(id, version);

    internal static Task<Results<Created<ChecklistVersionInfo>, ValidationProblem, Conflict<ProblemDetails>>> CreateAsync(
        JsonBody<ChecklistDefinition> definition, ChecklistLibrary library, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        CreateFromDefinitionAsync(definition.Value, library, user, cancellationToken);

    private static async Task<Results<Created<ChecklistVersionInfo>, ValidationProblem, Conflict<ProblemDetails>>> CreateFromDefinitionAsync(
        ChecklistDefinition definition, ChecklistLibrary library, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        try
        {
            var info = await library.CreateAsync(definition, StaffRoles.NameOf(user), cancellationToken);
            return TypedResults.Created($"/api/checklists/{info.Id}/versions/{info.Version}", info);
        }
        catch (ChecklistValidationException exception)
        {
            return TypedResults.ValidationProblem(exception.Errors, title: "The checklist has problems / チェックリストに誤りがあります");
        }
        catch (ChecklistConflictException exception)
        {
            return Conflict(exception.Message);
        }
    }

    internal static async Task<Results<Ok<ChecklistVersionInfo>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ReplaceAsync(
        string id, int version, JsonBody<ChecklistDefinition> definition, ChecklistLibrary library, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (definition.Value.Id != id || definition.Value.Version != version)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"The body is {definition.Value.Id} v{definition.Value.Version}, the URL {id} v{version}."] });
        }

        try
        {
            return TypedResults.Ok(await library.ReplaceAsync(definition.Value, StaffRoles.NameOf(user), cancellationToken));
        }
        catch (ChecklistValidationException exception)
        {
            return TypedResults.ValidationProblem(exception.Errors, title: "The checklist has problems / チェックリストに誤りがあります");
        }
        catch (ChecklistNotFoundException)
        {
            return NotFound(id, version);
        }
        catch (ChecklistConflictException exception)
        {
            return Conflict(exception.Message);
        }
    }

    internal static async Task<Results<Created<ChecklistVersionInfo>, ValidationProblem, Conflict<ProblemDetails>, ProblemHttpResult>> ImportXlsxAsync(
        HttpContext context, ChecklistLibrary library, IOptions<SpreadsheetLimits> limits, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        // Past the endpoint's limit this throws, and the exception handler answers 413.
        using var buffer = await BoundedBody.ReadAsync(context, cancellationToken);
        ChecklistDefinition definition;
        try
        {
            definition = ChecklistXlsx.Import(buffer, limits.Value);
        }
        catch (XlsxFormatException exception)
        {
            return TypedResults.Problem(statusCode: 400, title: "The workbook cannot be read / ブックを読み取れません", detail: exception.Message);
        }

        var result = await CreateFromDefinitionAsync(definition, library, user, cancellationToken);
        return result.Result switch
        {
            Created<ChecklistVersionInfo> created => created,
            ValidationProblem problem => problem,
            Conflict<ProblemDetails> conflict => conflict,
            _ => throw new InvalidOperationException("Unexpected result."),
        };
    }

    private static NotFound<ProblemDetails> NotFound(string id, int version) => TypedResults.NotFound(new ProblemDetails
    {
        Status = 404,
        Title = "Checklist version not found / チェックリストの版が見つかりません",
        Detail = $"There is no checklist {id} v{version}.",
    });

    private static Conflict<ProblemDetails> Conflict(string detail) =>
        TypedResults.Conflict(new ProblemDetails { Status = 409, Title = "Conflict / 競合", Detail = detail });
}
