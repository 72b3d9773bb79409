using System.Globalization;
using FunctionsPortal.Checklists;
using FunctionsPortal.Mail;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Writes the survey mails as business letters (<see cref="BusinessLetter"/>), Japanese first, then English, in HTML
/// and plain text: addressee, greeting, who asks and why, the due date, the link, whom to ask, closing and signature.
/// An invitation, a reminder or the vendor's overdue notice each carries a fresh link (the previous one is superseded,
/// because links are stored only as hashes); the internal owner's overdue notice links to the staff page.
/// Every value from the registry is HTML-encoded.
/// </summary>
public sealed class SurveyMailComposer(
    AssignmentStore assignments,
    VendorStore vendors,
    ChecklistLibrary checklists,
    SurveyLinks links,
    PortalLetters letters,
    IOpenActionDueDates actionDueDates,
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

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Id, int Version), ChecklistVersionInfo> _checklistInfo = new();

    public IReadOnlyCollection<string> Purposes { get; } = [InvitationPurpose, ReminderPurpose, OverdueVendorPurpose, OverdueOwnerPurpose, ChangesRequestedPurpose, CorrectiveActionsPurpose, ActionsReminderPurpose];

    /// <summary>The mails about corrective actions, which go after the survey is accepted (final).</summary>
    public static bool FollowsAcceptance(string purpose) => purpose is CorrectiveActionsPurpose or ActionsReminderPurpose;

    public async Task<OutgoingMail?> ComposeAsync(MailRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A batch of survey mail read its assignments and vendors together (SendSurveyMailJob): no read per mail.
        var batch = SurveyMailBatch.Current;
        var assignment = batch?.Assignment(request.Owner) ?? await assignments.FindAsync(request.Owner, cancellationToken);
        var vendor = assignment is null ? null : batch?.Vendor(assignment.VendorId) ?? await vendors.FindAsync(assignment.VendorId, cancellationToken);
        var afterAcceptance = FollowsAcceptance(request.Purpose) && assignment?.Status == AssignmentStatus.Accepted;
        if (assignment is null || vendor is null || assignment.Status == AssignmentStatus.Cancelled || (AssignmentStatus.IsFinal(assignment.Status) && !afterAcceptance))
        {
            return null;
        }

        var document = assignment.Kind == SurveyKinds.HandlingMethod;
        var title = assignment.ChecklistId is { } id && assignment.ChecklistVersion is { } version && await ChecklistInfoAsync(id, version, cancellationToken) is { } info
            ? info.Title
            : new Localized("再委託先における個人データの取扱方法を記載した書面", "Written handling method of a subcontractor");
        var o = options.Value;
        var name = vendor.Vendor.LegalName;
        var company = new LocalizedLine(name.Ja, name.En ?? name.Ja);
        // A document is submitted (ご提出), a questionnaire answered (ご回答).
        var dueLabel = document ? new Localized("提出期限", "Due date for the document") : new Localized("回答期限", "Due date");
        var surveyDue = new LetterDate(assignment.DueOn, dueLabel.Ja, dueLabel.En);
        var contactJa = $"ご不明な点は {o.ContactEmail} までお問い合わせください。";
        var contactEn = $"If you have any questions, please write to {o.ContactEmail}.";

        if (request.Purpose == OverdueOwnerPurpose)
        {
            var owner = vendor.Vendor.InternalOwner;
            return letters.Write(request, new Letter(LetterAudience.Staff, new MailAddressee(owner.Email, owner.Name), null,
                $"【期限超過】{name.Ja} の {title.Ja} / Overdue: {name.En ?? name.Ja}",
                [$"ご担当の委託先 {name.Ja}（{vendor.Id}）の「{title.Ja}」は、期限を過ぎても提出されていません。委託先に連絡し、状況を確認してください。"],
                [$"{name.En ?? name.Ja} ({vendor.Id}), a vendor you look after, has not submitted \"{title.En}\" by its due date. Please contact the vendor."],
                surveyDue,
                new LetterLink(new Uri(o.PortalBaseUrl, $"staff/assignments/{Uri.EscapeDataString(assignment.Key)}").ToString(), "調査の状況（職員用ページ）", "The survey (staff page)")));
        }

        // An invitation's first link is recorded on the assignment when the mail is known sent, with the move to invited
        // (one write for both): the outbox row keeps its hash meanwhile. Every other link supersedes the current one now.
        string token;
        string? reference = null;
        if (request.Purpose == InvitationPurpose && assignment.CurrentLinkHash is null)
        {
            (token, reference) = await links.IssueUnrecordedAsync(assignment.Key, cancellationToken);
        }
        else
        {
            token = await links.IssueAsync(assignment.Key, cancellationToken);
        }

        var url = new Uri(o.PortalBaseUrl, $"v/{token}").ToString();
        var officer = new MailAddressee(assignment.RecipientEmail ?? request.ToAddress, assignment.RecipientName);
        if (request.Purpose == CorrectiveActionsPurpose)
        {
            var earliest = await actionDueDates.EarliestOpenDueAsync(assignment.VendorId, assignment.Key, cancellationToken);
            return letters.Write(request, new Letter(LetterAudience.Vendor, officer, company,
                $"【是正対応のお願い】{title.Ja} / Corrective actions: {title.En}",
                [
                    $"先日は「{title.Ja}」にご回答いただき、誠にありがとうございました。内容を確認した結果、いくつかの事項について是正対応をお願いしたく、ご連絡いたしました。",
                    "お手数ですが、下記のリンクからお願いする内容と各事項の期限をご確認のうえ、期限までに、実施した内容と裏付けとなる資料をご提出ください。なお、以前お送りしたリンクは無効になりました。",
                    contactJa,
                ],
                [
                    $"Thank you for answering \"{title.En}\". Having reviewed your answers, we ask you to take some corrective actions.",
                    "Please see what we ask and each due date using the link below, and send a statement of what was done with a supporting document by each due date. The link we sent earlier no longer works.",
                    contactEn,
                ],
                earliest is { } first ? new LetterDate(first, "最初の是正期限", "First corrective action due") : null,
                new LetterLink(new Uri(o.PortalBaseUrl, $"v/{token}/actions").ToString(), "是正対応の確認・ご報告はこちら（英語表示あり）", "See and report the corrective actions (English available on the page)")));
        }

        if (request.Purpose == ActionsReminderPurpose
            && DateOnly.TryParseExact(request.Kind[ActionsReminderMailPrefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var actionsDue))
        {
            var actionsDueJa = BusinessLetter.JapaneseDate(actionsDue);
            var actionsDueEn = actionsDue.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
            return letters.Write(request, new Letter(LetterAudience.Vendor, officer, company,
                $"【リマインド】是正対応の期限（{actionsDueJa}）が近づいています / Reminder: corrective actions due {actionsDueEn}",
                [
                    $"「{title.Ja}」に関して是正対応をお願いしている事項の期限が近づいてまいりました。まだご報告いただいていない場合は、下記のリンクから、実施した内容と裏付けとなる資料をご提出ください。すでにご報告いただいている場合は、行き違いとなりましたことをご容赦ください。なお、以前お送りしたリンクは無効になりました。",
                    contactJa,
                ],
                [
                    $"The corrective actions we asked for after \"{title.En}\" are due soon. If you have not reported them yet, please send a statement of what was done with a supporting document using the link below; if you already have, please disregard this reminder. The link we sent earlier no longer works.",
                    contactEn,
                ],
                new LetterDate(actionsDue, "是正期限", "Corrective actions due"),
                new LetterLink(new Uri(o.PortalBaseUrl, $"v/{token}/actions").ToString(), "是正対応のご報告はこちら（英語表示あり）", "Report the corrective actions (English available on the page)")));
        }

        var dueJa = BusinessLetter.JapaneseDate(assignment.DueOn);
        var dueEn = assignment.DueOn.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var parent = document && vendor.Vendor.ParentId is { } parentId ? await vendors.FindAsync(parentId, cancellationToken) : null;
        var parentJa = parent?.Vendor.LegalName.Ja ?? "当社の委託先";
        var parentEn = parent is null ? "one of our vendors" : parent.Vendor.LegalName.En ?? parent.Vendor.LegalName.Ja;
        var (doJa, doEn) = document ? ("ご提出", "submit") : ("ご回答", "answer");
        var (subjectJa, subjectEn, leadJa, leadEn) = request.Purpose switch
        {
            ReminderPurpose => ($"【リマインド】{title.Ja}（{dueLabel.Ja} {dueJa}）", $"Reminder: {title.En} (due {dueEn})",
                $"先日ご依頼いたしました「{title.Ja}」の{dueLabel.Ja}が近づいてまいりました。お忙しいところ恐れ入りますが、まだの場合は下記のリンクから{doJa}ください。すでに{doJa}いただいている場合は、行き違いとなりましたことをご容赦ください。なお、以前お送りしたリンクは無効になりました。",
                $"The due date of \"{title.En}\" is approaching. If you have not done so yet, please {doEn} it using the link below; if you already have, please disregard this reminder. The link we sent earlier no longer works."),
            ChangesRequestedPurpose => ($"【修正のお願い】{title.Ja}", $"Changes requested: {title.En}",
                $"先日は「{title.Ja}」をご提出いただき、誠にありがとうございました。お手数ですが、次の点の修正をお願いいたします。下記のリンクから内容を修正のうえ、再度ご提出ください（以前のご提出内容も保存されています）。",
                $"Thank you for submitting \"{title.En}\". We ask you to change the following; please edit it and submit again using the link below (your earlier submission is kept)."),
            OverdueVendorPurpose => ($"【期限超過】{title.Ja}", $"Overdue: {title.En}",
                $"先日ご依頼いたしました「{title.Ja}」について、{dueLabel.Ja}を過ぎてもまだ{doJa}を確認できておりません。お忙しいところ誠に恐れ入りますが、至急、下記のリンクから{doJa}ください。行き違いの場合はご容赦ください。なお、以前お送りしたリンクは無効になりました。",
                $"The due date of \"{title.En}\" has passed and we have not received it yet. Please {doEn} it as soon as possible using the link below; if it has crossed with this mail, please disregard it. The link we sent earlier no longer works."),
            _ when document => ($"【ご提出のお願い】{title.Ja}（{dueLabel.Ja} {dueJa}）", $"Request: {title.En} (due {dueEn})",
                $"{parentJa}様より、貴社に当社の個人データの取扱いを再委託するとのお届出をいただきました。{o.OrganisationJa}は、個人情報保護法に基づき、再委託先における個人データの取扱方法を書面で確認しております。お手数ですが、下記のリンクから「{title.Ja}」をご提出ください（アカウント登録は不要です）。",
                $"{parentEn} has told us that it subcontracts to you work on personal data it handles for {o.OrganisationEn}. Under Japan's Act on the Protection of Personal Information we check in writing how subcontractors handle such data. Please submit \"{title.En}\" using the link below (no account needed)."),
            _ => ($"【ご依頼】{title.Ja}（{dueLabel.Ja} {dueJa}）", $"Request: {title.En} (due {dueEn})",
                $"{o.OrganisationJa}は、個人情報保護法に基づき、個人データの取扱いを委託している事業者の皆様の安全管理措置の状況を、少なくとも年1回、書面で確認しております。お忙しいところ恐れ入りますが、下記のリンクから「{title.Ja}」にご回答ください（アカウント登録は不要です）。",
                $"{o.OrganisationEn} is required by Japan's Act on the Protection of Personal Information to supervise the companies that handle personal data on its behalf, and checks their safeguards in writing at least once a year. Please answer \"{title.En}\" using the link below (no account needed)."),
        };

        // The reviewer's words get a paragraph of their own (in both halves: staff may write in either language).
        string[] reviewer = request.Purpose == ChangesRequestedPurpose && assignment.ChangesRequestedMessage is { } message ? [message] : [];
        return letters.Write(request, new Letter(LetterAudience.Vendor, officer, company, $"{subjectJa} / {subjectEn}",
            [leadJa, .. reviewer, contactJa],
            [leadEn, .. reviewer, contactEn],
            surveyDue,
            new LetterLink(url, document ? "ご提出はこちら（英語表示あり）" : "ご回答はこちら（英語表示あり）", document ? "Submit here (English available on the page)" : "Answer here (English available on the page)"))) with { Reference = reference };
    }

    /// <summary>A checklist version's title: versions are frozen once a survey uses them, so each is read once per process.</summary>
    private async Task<ChecklistVersionInfo?> ChecklistInfoAsync(string id, int version, CancellationToken cancellationToken)
    {
        if (_checklistInfo.TryGetValue((id, version), out var known))
        {
            return known;
        }

        var info = await checklists.InfoAsync(id, version, cancellationToken);
        if (info is not null)
        {
            _checklistInfo[(id, version)] = info;
        }

        return info;
    }

    public async Task OnSettledAsync(MailRequest request, MailDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(delivery);
        if (request.Purpose == InvitationPurpose && delivery.IsSent)
        {
            // In a batch the invitations are recorded together when it ends (a crash before that is settled again by the sweep).
            if (SurveyMailBatch.Current?.Sent(request.Owner, delivery.Reference, request.ToAddress) == true)
            {
                return;
            }

            var (_, supersede) = await assignments.RecordInvitedAsync(request.Owner, delivery.Reference, request.ToAddress, timeProvider.GetUtcNow(), cancellationToken);
            if (supersede)
            {
                await links.SupersedeAsync(delivery.Reference!, cancellationToken);
            }
        }
        else if (delivery.State == MailStates.Rejected && request.Purpose != OverdueOwnerPurpose)
        {
            await assignments.UpdateAsync(request.Owner, current => current with { RecipientProblem = $"The mail service refused {request.ToAddress}: {delivery.Problem}" }, cancellationToken);
        }
    }
}
