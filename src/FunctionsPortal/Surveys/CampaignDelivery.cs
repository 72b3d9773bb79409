using FunctionsPortal.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.Surveys;

/// <summary>
/// How far a campaign's mail has got (<c>GET /api/campaigns/{id}/delivery</c>): every mail of its assignments by state,
/// how many a sending limit holds back — above all those waiting for a later day because the sender mailboxes reached
/// their daily recipient cap — and how many each mailbox sent.
/// </summary>
/// <param name="CampaignId">The campaign (its id is also the cycle of its assignments).</param>
/// <param name="Mails">Every mail of the campaign's assignments: invitations, resends, reminders, overdue notices.</param>
/// <param name="ByState">Mails per outbox state (<see cref="MailStates"/>).</param>
/// <param name="DeferredByLimit">Unfinished mails a sending limit holds back, per limit (<see cref="MailLimits"/>).</param>
/// <param name="DeferredToLaterDay">Of those, the mails waiting for room in a mailbox's daily recipient cap.</param>
/// <param name="LastDeferredUntil">When the last of those is due to be tried again.</param>
/// <param name="SentBySender">Sent mails per sender mailbox.</param>
public sealed record CampaignDelivery(
    string CampaignId,
    int Mails,
    IReadOnlyDictionary<string, int> ByState,
    IReadOnlyDictionary<string, int> DeferredByLimit,
    int DeferredToLaterDay,
    DateTimeOffset? LastDeferredUntil,
    IReadOnlyDictionary<string, int> SentBySender)
{
    /// <summary>Summarises the outbox rows of a campaign's assignments (their keys start with "{campaign id}~").</summary>
    internal static async Task<Results<Ok<CampaignDelivery>, NotFound<ProblemDetails>>> GetAsync(
        string id, CampaignStore campaigns, MailOutbox outbox, CancellationToken cancellationToken)
    {
        if (await campaigns.FindAsync(id, cancellationToken) is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Campaign not found / キャンペーンが見つかりません", Detail = $"There is no campaign {id}." });
        }

        var mails = (await outbox.ListByOwnerPrefixAsync(AssignmentKey.PrefixOf(id), cancellationToken)).Select(row => row.Mail).ToList();
        var deferred = mails.Where(mail => mail.DeferredBy is not null).ToList();
        var laterDay = deferred.Where(mail => mail.DeferredBy == MailLimits.DailyRecipients).ToList();
        return TypedResults.Ok(new CampaignDelivery(
            id,
            mails.Count,
            Count(mails, mail => mail.State),
            Count(deferred, mail => mail.DeferredBy!),
            laterDay.Count,
            laterDay.Max(mail => mail.NextAttemptAt),
            Count(mails.Where(mail => mail.State == MailStates.Sent && mail.Sender is not null), mail => mail.Sender!)));
    }

    private static SortedDictionary<string, int> Count(IEnumerable<MailRecord> mails, Func<MailRecord, string> key) =>
        new(mails.GroupBy(key).ToDictionary(group => group.Key, group => group.Count()), StringComparer.Ordinal);
}
