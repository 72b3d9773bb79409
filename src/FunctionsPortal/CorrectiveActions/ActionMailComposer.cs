using FunctionsPortal.Mail;
using FunctionsPortal.Surveys;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// The internal owner's mail about a corrective action that passed its due date without verified remediation (sent
/// once: the outbox row is keyed by the action). It carries no vendor link; it links to the staff page.
/// </summary>
public sealed class ActionMailComposer(CorrectiveActionStore actions, PortalLetters letters, IOptions<SurveyOptions> options) : IMailComposer
{
    public const string OverdueOwnerPurpose = "action-overdue-owner";

    public IReadOnlyCollection<string> Purposes { get; } = [OverdueOwnerPurpose];

    public async Task<OutgoingMail?> ComposeAsync(MailRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await actions.FindAsync(request.Owner, cancellationToken) is not { IsOpen: true } action || action.Owner.Email.Length == 0)
        {
            return null; // verified or accepted meanwhile: nobody needs to hear of it
        }

        var page = new Uri(options.Value.PortalBaseUrl, $"staff/actions/{action.Id}").ToString();
        return letters.Write(request, new Letter(LetterAudience.Staff, new MailAddressee(action.Owner.Email, action.Owner.Name), null,
            $"【是正期限超過】{action.VendorName} {action.ItemId} / Corrective action overdue: {action.VendorName} {action.ItemId}",
            [
                $"{action.VendorName}（{action.VendorId}）の是正措置「{action.ItemId} {action.ItemText.Ja}」は、期限を過ぎても是正が確認されていません（状況：{ActionStatuses.Label(action.Status).Ja}）。委託先に状況を確認し、対応を指示してください。",
                "この期限超過は、リスク管理強化レベルの判定に「発生」として記録されました。",
            ],
            [
                $"The corrective action \"{action.ItemId} {action.ItemText.En}\" of {action.VendorName} ({action.VendorId}) passed its due date without verified remediation (status: {ActionStatuses.Label(action.Status).En}). Please contact the vendor.",
                "The overdue action was recorded as an occurrence for the vendor's management level.",
            ],
            new LetterDate(action.DueOn, "是正期限", "Due date"),
            new LetterLink(page, "是正措置（職員用ページ）", "The corrective action (staff page)")));
    }

    public Task OnSettledAsync(MailRequest request, MailDelivery delivery, CancellationToken cancellationToken) => Task.CompletedTask;
}
