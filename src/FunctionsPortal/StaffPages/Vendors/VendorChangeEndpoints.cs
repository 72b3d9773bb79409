using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.Storage;
using FunctionsPortal.Subcontractors;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.StaffPages.Vendors;

/// <summary>
/// Administrators change the registry from a vendor's page: the profile (every earlier version is kept), the risk tier
/// override with its reason, and a subcontractor's prior approval. Each form carries the ETag it was drawn with, so a
/// change made meanwhile by someone else is never overwritten; Post/Redirect/Get with the outcome as a notice.
/// </summary>
internal static class VendorChangeEndpoints
{
    public static RouteGroupBuilder MapVendorChanges(this RouteGroupBuilder pages)
    {
        pages.MapPost("/vendors/{id}/profile", SaveProfileAsync).RequireAuthorization(StaffRoles.AdminPolicy);
        pages.MapPost("/vendors/{id}/risk-override", SetRiskOverrideAsync).RequireAuthorization(StaffRoles.AdminPolicy);
        pages.MapPost("/vendors/{id}/prior-approval", DecidePriorApprovalAsync).RequireAuthorization(StaffRoles.AdminPolicy);
        pages.MapPost("/vendors/{id}/link", LinkAsync).RequireAuthorization(StaffRoles.AdminPolicy);
        return pages;
    }

    internal static Task<IResult> SaveProfileAsync(
        string id, [AsParameters] ProfileForm form, HttpContext context, VendorRegistry registry, CancellationToken cancellationToken) =>
        ChangeAsync(context, VendorEndpoints.Url(id) + "#profile-title", Notice.Info("基本情報を更新しました（以前の版は保存されています）。", "Profile saved (the previous version is kept)."), async () =>
        {
            var current = await registry.FindAsync(id, cancellationToken) ?? throw new VendorNotFoundException(id);
            return await registry.UpdateAsync(id, Drawn(form.ETag), form.ApplyTo(current.Vendor), StaffRoles.NameOf(context.User), cancellationToken);
        });

    internal static Task<IResult> SetRiskOverrideAsync(
        string id, [AsParameters] RiskOverrideForm form, HttpContext context, VendorRegistry registry, CancellationToken cancellationToken)
    {
        var tier = string.IsNullOrWhiteSpace(form.Tier) ? null : form.Tier;
        if (tier is not null && string.IsNullOrWhiteSpace(form.Reason))
        {
            Flash.Write(context, [Notice.Error("override-reason", "区分を変更する理由を記入してください。", "Say why the tier is overridden.")]);
            return Task.FromResult<IResult>(TypedResults.Redirect(VendorEndpoints.Url(id) + "#risk-title"));
        }

        return ChangeAsync(context, VendorEndpoints.Url(id) + "#risk-title",
            tier is null ? Notice.Info("区分の変更を取り消しました（計算どおりの区分に戻ります）。", "Override cleared: the computed tier applies.") : Notice.Info("リスク区分を変更しました。", "Risk tier overridden."),
            () => registry.SetRiskOverrideAsync(id, Drawn(form.ETag), tier, form.Reason, StaffRoles.NameOf(context.User), cancellationToken));
    }

    /// <summary>
    /// Posted from the contracting vendor's page (its subcontracting tree) or the subcontractor's own; <c>back</c> says which.
    /// Approval waits for the handling-method document unless the form says to approve without it, with a reason.
    /// </summary>
    internal static Task<IResult> DecidePriorApprovalAsync(
        string id, [AsParameters] PriorApprovalForm form, HttpContext context, PriorApprovalDecisions decisions, CancellationToken cancellationToken)
    {
        var status = form.Status;
        var done = status == "approved"
            ? Notice.Info("再委託を承認しました。", "Subcontracting approved.")
            : Notice.Info("再委託を承認しませんでした。", "Subcontracting rejected.");
        return ChangeAsync(context, BackTo(form.Back, id), done, () => decisions.DecideAsync(
            id, null, new PriorApprovalRequest(status, form.Reason, form.WithoutDocument == true), StaffRoles.NameOf(context.User), cancellationToken));
    }

    /// <summary>Links a declared subcontractor to the registered vendor it matches (from the contracting vendor's tree or its own page).</summary>
    internal static Task<IResult> LinkAsync(string id, [AsParameters] LinkForm form, HttpContext context, VendorRegistry registry, CancellationToken cancellationToken)
    {
        var back = BackTo(form.Back, id);
        return ChangeAsync(context, back, Notice.Info("登録済みの委託先に紐付けました（重複して登録はしません）。", "Linked to the registered vendor (no duplicate entry)."), async () =>
        {
            var current = await registry.RecordAsync(id, cancellationToken) ?? throw new VendorNotFoundException(id);
            return await registry.LinkAsync(id, current.ETag, StaffRoles.NameOf(context.User), cancellationToken);
        });
    }

    internal static string BackTo(string? back, string id) =>
        back is { } returnTo && returnTo.StartsWith("/staff/vendors/", StringComparison.Ordinal) ? returnTo : VendorEndpoints.Url(id);

    /// <summary>The ETag the form was drawn with; a form without one (hand-made) is treated as out of date.</summary>
    private static string Drawn(string? etag) =>
        string.IsNullOrWhiteSpace(etag) ? throw new ConcurrencyConflictException("The form carried no ETag.") : etag;

    internal static async Task<IResult> ChangeAsync(HttpContext context, string redirectTo, Notice done, Func<Task<VendorView>> change)
    {
        try
        {
            await change();
            Flash.Write(context, [done]);
        }
        catch (VendorNotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (VendorValidationException exception)
        {
            Flash.Write(context, [.. exception.Errors.Select(error => Notice.Error(error.Key, "入力内容に誤りがあります: " + string.Join(" ", error.Value), "Invalid: " + string.Join(" ", error.Value)))]);
        }
        catch (ConcurrencyConflictException)
        {
            Flash.Write(context, [Notice.Error(null, "この間に他の担当者が変更しました。最新の内容を確認して、もう一度変更してください。", "Someone else changed this vendor meanwhile: check the current record and apply your change again.")]);
        }
        catch (VendorConflictException exception)
        {
            Flash.Write(context, [Notice.Error("corporateNumber", "この法人番号は別の委託先に登録されています。", exception.Message)]);
        }

        return TypedResults.Redirect(redirectTo);
    }
}

/// <summary>The profile fields staff edit on the page; the rest (countries, certifications, contacts) through the API or the CSV import.</summary>
public sealed record ProfileForm
{
    [FromForm]
    public string? ETag { get; init; }

    [FromForm]
    public string? NameJa { get; init; }

    [FromForm]
    public string? NameEn { get; init; }

    [FromForm]
    public string? CorporateNumber { get; init; }

    [FromForm]
    public string? BusinessCategory { get; init; }

    [FromForm]
    public string? LifecycleStatus { get; init; }

    [FromForm]
    public string? OfficerName { get; init; }

    [FromForm]
    public string? OfficerTitle { get; init; }

    [FromForm]
    public string? OfficerEmail { get; init; }

    [FromForm]
    public string? OwnerName { get; init; }

    [FromForm]
    public string? OwnerEmail { get; init; }

    [FromForm]
    public long? ApproximateRecords { get; init; }

    [FromForm]
    public string? Notes { get; init; }

    /// <summary>yes, no, or empty (unknown).</summary>
    [FromForm]
    public string? Subcontracts { get; init; }

    /// <summary>One cloud service a line.</summary>
    [FromForm]
    public string? CloudServices { get; init; }

    public Vendor ApplyTo(Vendor current)
    {
        ArgumentNullException.ThrowIfNull(current);
        static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        return current with
        {
            LegalName = new LocalizedName(Blank(NameJa) ?? "", Blank(NameEn)),
            CorporateNumber = Blank(CorporateNumber),
            BusinessCategory = Blank(BusinessCategory) ?? "",
            LifecycleStatus = Blank(LifecycleStatus) ?? "",
            ResponsibleOfficer = current.ResponsibleOfficer with { Name = Blank(OfficerName) ?? "", Title = Blank(OfficerTitle), Email = Blank(OfficerEmail) ?? "" },
            InternalOwner = current.InternalOwner with { Name = Blank(OwnerName) ?? "", Email = Blank(OwnerEmail) ?? "" },
            ApproximateRecords = ApproximateRecords,
            Notes = Blank(Notes),
            Subcontracts = Blank(Subcontracts) switch { "yes" => true, "no" => false, _ => null },
            CloudServices = (CloudServices ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }
}

public sealed record RiskOverrideForm
{
    [FromForm]
    public string? ETag { get; init; }

    /// <summary>high, medium or low; empty clears the override.</summary>
    [FromForm]
    public string? Tier { get; init; }

    [FromForm]
    public string? Reason { get; init; }
}

public sealed record PriorApprovalForm
{
    /// <summary>approved or rejected.</summary>
    [FromForm]
    public string? Status { get; init; }

    [FromForm]
    public string? Reason { get; init; }

    /// <summary>The staff page to return to (the contracting vendor's, when decided from its tree).</summary>
    [FromForm]
    public string? Back { get; init; }

    /// <summary>Approve before the handling-method document arrived (the reason is then required).</summary>
    [FromForm]
    public bool? WithoutDocument { get; init; }
}

public sealed record LinkForm
{
    /// <summary>The staff page to return to (the contracting vendor's, when linked from its tree).</summary>
    [FromForm]
    public string? Back { get; init; }
}
