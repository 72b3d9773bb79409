using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.RegistryProposals;
using FunctionsPortal.Storage;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.StaffPages.Vendors;

/// <summary>
/// Administrators confirm or dismiss, from the vendor's page, the registry changes its scoping answers propose. Confirming
/// carries the vendor's ETag the page was drawn with, so a change made meanwhile is never overwritten; Post/Redirect/Get.
/// </summary>
internal static class ProposalEndpoints
{
    public const string Anchor = "#proposals-title";

    public static RouteGroupBuilder MapProposalDecisions(this RouteGroupBuilder pages)
    {
        pages.MapPost("/vendors/{id}/proposals/{proposalId}/confirm", ConfirmAsync).RequireAuthorization(StaffRoles.AdminPolicy);
        pages.MapPost("/vendors/{id}/proposals/{proposalId}/dismiss", DismissAsync).RequireAuthorization(StaffRoles.AdminPolicy);
        return pages;
    }

    internal static Task<IResult> ConfirmAsync(
        string id, string proposalId, [AsParameters] ProposalForm form, HttpContext context, ProposalDecisions decisions, CancellationToken cancellationToken) =>
        DecideAsync(context, id, Notice.Info("提案を確定し、登録内容を変更しました（以前の版は保存されています）。", "Proposal confirmed: the registry changed (the previous version is kept)."), async () =>
        {
            var etag = string.IsNullOrWhiteSpace(form.ETag) ? throw new ConcurrencyConflictException("The form carried no ETag.") : form.ETag;
            await decisions.ConfirmAsync(id, proposalId, etag, form.CountriesTo, StaffRoles.NameOf(context.User), cancellationToken);
        });

    internal static Task<IResult> DismissAsync(
        string id, string proposalId, [AsParameters] ProposalForm form, HttpContext context, ProposalDecisions decisions, CancellationToken cancellationToken) =>
        DecideAsync(context, id, Notice.Info("提案を却下しました。", "Proposal dismissed."),
            () => decisions.DismissAsync(id, proposalId, form.Reason, StaffRoles.NameOf(context.User), cancellationToken));

    private static async Task<IResult> DecideAsync(HttpContext context, string id, Notice done, Func<Task> decide)
    {
        try
        {
            await decide();
            Flash.Write(context, [done]);
        }
        catch (Exception exception) when (exception is ProposalNotFoundException or VendorNotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (ProposalDecisionException exception)
        {
            Flash.Write(context, [Notice.Error(null, exception.Message, exception.Message)]);
        }
        catch (VendorValidationException exception)
        {
            Flash.Write(context, [.. exception.Errors.Select(error => Notice.Error(error.Key, "変更後の登録内容に誤りがあります: " + string.Join(" ", error.Value), "The change would make the record invalid: " + string.Join(" ", error.Value)))]);
        }
        catch (ConcurrencyConflictException)
        {
            Flash.Write(context, [Notice.Error(null, "この間に他の担当者が変更しました。最新の内容を確認して、もう一度操作してください。", "Someone else changed this vendor or proposal meanwhile: check the current record and decide again.")]);
        }

        return TypedResults.Redirect(VendorEndpoints.Url(id) + Anchor);
    }
}

public sealed record ProposalForm
{
    /// <summary>The vendor's ETag the page was drawn with (confirm).</summary>
    [FromForm]
    public string? ETag { get; init; }

    /// <summary>storage, access or both (confirming countries).</summary>
    [FromForm]
    public string? CountriesTo { get; init; }

    /// <summary>Why it is dismissed (dismiss).</summary>
    [FromForm]
    public string? Reason { get; init; }
}
