using System.Globalization;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.Surveys;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.StaffPages.Assignments;

/// <summary>
/// Administrators act on one survey's link from its page: resend it, revoke it, cancel the survey, move its due date —
/// through <see cref="AssignmentActions"/>, the same as the API, so each lands in the audit trail. Post/Redirect/Get.
/// </summary>
internal static class AssignmentActionEndpoints
{
    public const string Anchor = "#link-actions";

    public static RouteGroupBuilder MapAssignmentActions(this RouteGroupBuilder pages)
    {
        // These two bind no form, and only form binding acts on the antiforgery middleware's verdict: they check it themselves.
        pages.MapPost("/assignments/{key}/resend", ResendAsync).RequireAuthorization(StaffRoles.AdminPolicy).AddEndpointFilter(RequireAntiforgeryAsync);
        pages.MapPost("/assignments/{key}/revoke-link", RevokeAsync).RequireAuthorization(StaffRoles.AdminPolicy).AddEndpointFilter(RequireAntiforgeryAsync);
        pages.MapPost("/assignments/{key}/cancel", CancelAsync).RequireAuthorization(StaffRoles.AdminPolicy);
        pages.MapPost("/assignments/{key}/due-date", MoveDueDateAsync).RequireAuthorization(StaffRoles.AdminPolicy);
        return pages;
    }

    private static async ValueTask<object?> RequireAntiforgeryAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        return await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context)
            ? await next(invocation)
            : TypedResults.BadRequest();
    }

    internal static async Task<IResult> ResendAsync(string key, HttpContext context, AssignmentActions actions, CancellationToken cancellationToken) =>
        Done(key, context, await actions.ResendAsync(key, StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("新しいリンクを送信待ちにしました（以前のリンクは使えなくなります）。", "A new link is queued for mailing (the previous one stops working)."));

    internal static async Task<IResult> RevokeAsync(string key, HttpContext context, AssignmentActions actions, CancellationToken cancellationToken) =>
        Done(key, context, await actions.RevokeLinkAsync(key, StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("リンクを無効にしました。", "The link no longer works."));

    internal static async Task<IResult> CancelAsync(string key, [AsParameters] ActionReasonForm form, HttpContext context, AssignmentActions actions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(form.Reason))
        {
            return Redirect(key, context, Notice.Error("cancel-reason", "取り消す理由を記入してください。", "Say why the survey is cancelled."));
        }

        return Done(key, context, await actions.CancelAsync(key, form.Reason.Trim(), StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("調査を取り消し、リンクを無効にしました。", "Survey cancelled and its link revoked."));
    }

    internal static async Task<IResult> MoveDueDateAsync(
        string key, [AsParameters] DueDateForm form, HttpContext context, AssignmentActions actions, SurveyPlanner planner, CancellationToken cancellationToken)
    {
        if (!DateOnly.TryParseExact(form.DueOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dueOn) || dueOn <= planner.Today())
        {
            return Redirect(key, context, Notice.Error("due-on", "新しい回答期限には明日以降の日付を指定してください。", "Give a new due date after today."));
        }

        return Done(key, context, await actions.MoveDueDateAsync(key, dueOn, string.IsNullOrWhiteSpace(form!.Reason) ? null : form.Reason.Trim(), StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("回答期限を変更しました。", "Due date moved."));
    }

    private static IResult Done(string key, HttpContext context, AssignmentActionResult result, Notice done) => result switch
    {
        { Refusal: not null } => Redirect(key, context, Notice.Error(null, "現在の状態ではこの操作はできません。", "Not possible in the survey's current status.")),
        { Assignment: not null } => Redirect(key, context, done),
        _ => TypedResults.NotFound(),
    };

    private static IResult Redirect(string key, HttpContext context, Notice notice)
    {
        Flash.Write(context, [notice]);
        return TypedResults.Redirect(AssignmentEndpoints.Url(key) + Anchor);
    }
}

public sealed record ActionReasonForm
{
    [FromForm]
    public string? Reason { get; init; }
}

public sealed record DueDateForm
{
    /// <summary>yyyy-MM-dd, as a date input sends it.</summary>
    [FromForm]
    public string? DueOn { get; init; }

    [FromForm]
    public string? Reason { get; init; }
}
