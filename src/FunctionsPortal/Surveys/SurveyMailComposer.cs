using System.Globalization;
using System.Text;
using FunctionsPortal.Hosting;
using FunctionsPortal.Checklists;
using FunctionsPortal.Mail;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Writes the survey mails, Japanese first, then English, in HTML and plain text: who asks and why, the link, the
/// due date and whom to ask. An invitation, a reminder or the vendor's overdue notice each carries a fresh link
/// (the previous one is superseded, because links are stored only as hashes); the internal owner's overdue notice
/// carries none. Every value from the registry is HTML-encoded.
/// </summary>
public sealed class SurveyMailComposer(
    AssignmentStore assignments,
    VendorStore vendors,
    ChecklistLibrary checklists,
    SurveyLinks links,
    IOptions<SurveyOptions> options,
    TimeProvider timeProvider) : IMailComposer
{
    public const string InvitationPurpose = "invitation";
    public const string ReminderPurpose = "reminder";
    public const string OverdueVendorPurpose = "overdue-vendor";
    public const string OverdueOwnerPurpose = "overdue-owner";
    public const string ChangesRequestedPurpose = "changes-requested";

    /// <summary>The vendor is told once per survey that its findings became corrective actions, with a fresh link to them.</summary>
    public const string CorrectiveActionsPurpose = "corrective-actions";

    /// <summary>The queue message (and outbox row) name of that mail: one per assignment.</summary>
    public const string CorrectiveActionsMail = "corrective-actions";

    /// <summary>The vendor is reminded once before corrective actions fall due: one mail per survey and due date.</summary>
    public const string ActionsReminderPurpose = "actions-reminder";

    /// <summary>The reminder's queue message (and outbox row) name: this prefix and the due date, yyyyMMdd.</summary>
    public const string ActionsReminderMailPrefix = "actions-reminder-";

    public IReadOnlyCollection<string> Purposes { get; } = [InvitationPurpose, ReminderPurpose, OverdueVendorPurpose, OverdueOwnerPurpose, ChangesRequestedPurpose, CorrectiveActionsPurpose, ActionsReminderPurpose];

    /// <summary>The mails about corrective actions, which go after the survey is accepted (final).</summary>
    public static bool FollowsAcceptance(string purpose) => purpose is CorrectiveActionsPurpose or ActionsReminderPurpose;

    public async Task<OutgoingMail?> ComposeAsync(MailRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var assignment = await assignments.FindAsync(request.Owner, cancellationToken);
        var vendor = assignment is null ? null : await vendors.FindAsync(assignment.VendorId, cancellationToken);
        var afterAcceptance = FollowsAcceptance(request.Purpose) && assignment?.Status == AssignmentStatus.Accepted;
        if (assignment is null || vendor is null || assignment.Status == AssignmentStatus.Cancelled || (AssignmentStatus.IsFinal(assignment.Status) && !afterAcceptance))
        {
            return null;
        }

        var title = assignment.ChecklistId is { } id && assignment.ChecklistVersion is { } version && await checklists.InfoAsync(id, version, cancellationToken) is { } info
            ? info.Title
            : new Localized("再委託先の個人データ取扱方法の書面", "Written handling method of a subcontractor");
        var o = options.Value;
        var due = assignment.DueOn.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
        var dueEn = assignment.DueOn.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var name = vendor.Vendor.LegalName;

        if (request.Purpose == OverdueOwnerPurpose)
        {
            var owner = vendor.Vendor.InternalOwner;
            return Mail(request, new MailAddressee(owner.Email, owner.Name),
                $"【期限超過】{name.Ja} の {title.Ja} / Overdue: {name.En ?? name.Ja}",
                [
                    $"{name.Ja}（{vendor.Id}）の「{title.Ja}」は回答期限（{due}）を過ぎても提出されていません。委託先に連絡し、状況を確認してください。",
                ],
                [
                    $"{name.En ?? name.Ja} ({vendor.Id}) has not submitted \"{title.En}\" by its due date ({dueEn}). Please contact the vendor.",
                ],
                link: null, linkLabelJa: null, linkLabelEn: null);
        }

        var token = await links.IssueAsync(assignment.Key, cancellationToken);
        var url = new Uri(o.PortalBaseUrl, $"v/{token}").ToString();
        var officer = new MailAddressee(assignment.RecipientEmail ?? request.ToAddress, assignment.RecipientName);
        if (request.Purpose == CorrectiveActionsPurpose)
        {
            return Mail(request, officer, $"【是正対応のお願い】{title.Ja} / Corrective actions: {title.En}",
                [
                    $"{name.Ja} {officer.Name} 様",
                    $"「{title.Ja}」へのご回答ありがとうございました。内容を確認した結果、いくつかの事項について是正対応をお願いすることになりました。",
                    "下記のリンクから、お願いする内容と期限をご確認のうえ、各事項の期限までに、実施した内容と裏付けとなる資料をご提出ください。以前お送りしたリンクは無効になりました。",
                    $"ご不明な点は {o.ContactEmail} までお問い合わせください。",
                ],
                [
                    $"Dear {officer.Name} ({name.En ?? name.Ja}),",
                    $"Thank you for answering \"{title.En}\". Having reviewed your answers, we ask you to take some corrective actions.",
                    "Please see what we ask and by when using the link below, and send a statement of what was done with a supporting document by each due date. The link we sent earlier no longer works.",
                    $"Questions: {o.ContactEmail}",
                ],
                new Uri(o.PortalBaseUrl, $"v/{token}/actions").ToString(), "是正対応を確認する（日本語）", "See the corrective actions (English available on the page)");
        }

        if (request.Purpose == ActionsReminderPurpose
            && DateOnly.TryParseExact(request.Kind[ActionsReminderMailPrefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var actionsDue))
        {
            var actionsDueJa = actionsDue.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
            var actionsDueEn = actionsDue.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
            return Mail(request, officer, $"【リマインド】是正対応の期限（{actionsDueJa}）が近づいています / Reminder: corrective actions due {actionsDueEn}",
                [
                    $"{name.Ja} {officer.Name} 様",
                    $"「{title.Ja}」に関して是正対応をお願いしている事項の期限（{actionsDueJa}）が近づいています。まだご報告いただいていない場合は、下記のリンクから、実施した内容と裏付けとなる資料をご提出ください。以前お送りしたリンクは無効になりました。",
                    $"ご不明な点は {o.ContactEmail} までお問い合わせください。",
                ],
                [
                    $"Dear {officer.Name} ({name.En ?? name.Ja}),",
                    $"The corrective actions we asked for after \"{title.En}\" are due on {actionsDueEn}. If you have not reported them yet, please send a statement of what was done with a supporting document using the link below. The link we sent earlier no longer works.",
                    $"Questions: {o.ContactEmail}",
                ],
                new Uri(o.PortalBaseUrl, $"v/{token}/actions").ToString(), "是正対応を報告する（日本語）", "Report the corrective actions (English available on the page)");
        }

        var (subjectJa, subjectEn, leadJa, leadEn) = request.Purpose switch
        {
            ReminderPurpose => ($"【リマインド】{title.Ja}（回答期限 {due}）", $"Reminder: {title.En} (due {dueEn})",
                $"回答期限（{due}）が近づいています。まだご回答いただいていない場合は、下記のリンクからご回答ください。以前お送りしたリンクは無効になりました。",
                $"The due date ({dueEn}) is approaching. If you have not answered yet, please use the link below; the link we sent earlier no longer works."),
            ChangesRequestedPurpose => ($"【修正のお願い】{title.Ja}", $"Changes requested: {title.En}",
                $"ご提出いただいた「{title.Ja}」について、次の点の修正をお願いいたします。下記のリンクから回答を修正し、再提出してください（以前の提出内容も保存されています）。",
                $"Thank you for submitting \"{title.En}\". We ask you to change the following; please edit your answers and submit again using the link below (your earlier submission is kept)."),
            OverdueVendorPurpose => ($"【期限超過】{title.Ja}", $"Overdue: {title.En}",
                $"回答期限（{due}）を過ぎています。至急、下記のリンクからご回答ください。以前お送りしたリンクは無効になりました。",
                $"The due date ({dueEn}) has passed. Please answer as soon as possible using the link below; the link we sent earlier no longer works."),
            _ => ($"【ご依頼】{title.Ja}（回答期限 {due}）", $"Request: {title.En} (due {dueEn})",
                $"{o.OrganisationJa}は、個人情報保護法に基づき、個人データの取扱いを委託している事業者の皆様の安全管理措置の状況を、少なくとも年1回、書面で確認しています。下記のリンクから「{title.Ja}」にご回答ください（アカウント登録は不要です）。",
                $"{o.OrganisationEn} is required by Japan's Act on the Protection of Personal Information to supervise the companies that handle personal data on its behalf, and checks their safeguards in writing at least once a year. Please answer \"{title.En}\" using the link below (no account needed)."),
        };

        // The reviewer's words get a paragraph of their own (in both halves: staff may write in either language).
        string[] reviewer = request.Purpose == ChangesRequestedPurpose && assignment.ChangesRequestedMessage is { } message ? [message] : [];
        return Mail(request, officer, $"{subjectJa} / {subjectEn}",
            [$"{name.Ja} {officer.Name} 様", leadJa, .. reviewer, $"回答期限：{due}", $"ご不明な点は {o.ContactEmail} までお問い合わせください。"],
            [$"Dear {officer.Name} ({name.En ?? name.Ja}),", leadEn, .. reviewer, $"Due date: {dueEn}", $"Questions: {o.ContactEmail}"],
            url, "回答する（日本語）", "Answer (English available on the page)");
    }

    public async Task OnSettledAsync(MailRequest request, MailDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(delivery);
        if (request.Purpose == InvitationPurpose && delivery.IsSent)
        {
            var assignment = await assignments.FindAsync(request.Owner, cancellationToken);
            if (assignment?.Status == AssignmentStatus.Scheduled)
            {
                await assignments.TransitionAsync(request.Owner, AssignmentStatus.Invited, "mail", $"Invitation sent to {request.ToAddress}", timeProvider.GetUtcNow(), cancellationToken);
            }
        }
        else if (delivery.State == MailStates.Rejected && request.Purpose != OverdueOwnerPurpose)
        {
            await assignments.UpdateAsync(request.Owner, current => current with { RecipientProblem = $"The mail service refused {request.ToAddress}: {delivery.Problem}" }, cancellationToken);
        }
    }

    internal static OutgoingMail Mail(MailRequest request, MailAddressee to, string subject, IReadOnlyList<string> ja, IReadOnlyList<string> en, string? link, string? linkLabelJa, string? linkLabelEn)
    {
        var encoder = PortalHtml.Encoder;
        var html = new StringBuilder("<!doctype html><html lang=\"ja\"><body style=\"font-family:sans-serif;line-height:1.6\">");
        foreach (var paragraph in ja)
        {
            html.Append("<p>").Append(encoder.Encode(paragraph)).Append("</p>");
        }

        if (link is not null)
        {
            html.Append("<p><a href=\"").Append(encoder.Encode(link)).Append("\">").Append(encoder.Encode(linkLabelJa!)).Append("</a></p>");
        }

        html.Append("<hr><div lang=\"en\">");
        foreach (var paragraph in en)
        {
            html.Append("<p>").Append(encoder.Encode(paragraph)).Append("</p>");
        }

        if (link is not null)
        {
            html.Append("<p><a href=\"").Append(encoder.Encode(link)).Append("\">").Append(encoder.Encode(linkLabelEn!)).Append("</a></p>");
        }

        html.Append("</div></body></html>");
        var text = string.Join("\n\n", ja) + (link is null ? "" : $"\n\n{link}") + "\n\n----\n\n" + string.Join("\n\n", en) + (link is null ? "" : $"\n\n{link}");
        return new OutgoingMail(request.OutboxKey, to, [], subject, html.ToString(), text);
    }
}
