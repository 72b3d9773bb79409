using System.Globalization;
using FunctionsPortal.Mail;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Incidents;

/// <summary>
/// Staff mails about an incident (owner "inc~{id}"): the notice that it was reported (kind "reported~{address key}")
/// and the deadline reminders (kind "{preliminary|final}~{yyyyMMdd}~{address key}"). A reminder is cancelled when the
/// step it asks for was recorded, or the incident closed, before it went out.
/// </summary>
public sealed class IncidentMailComposer(IncidentStore store, IncidentClock incidentClock, VendorRegistry registry, PortalLetters letters) : IMailComposer
{
    public const string ReportedPurpose = "incident-reported";
    public const string DeadlinePurpose = "incident-deadline";

    public const string Preliminary = "preliminary";
    public const string Final = "final";

    public IReadOnlyCollection<string> Purposes { get; } = [ReportedPurpose, DeadlinePurpose];

    public async Task<OutgoingMail?> ComposeAsync(MailRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Owner.StartsWith(IncidentReports.MailOwnerPrefix, StringComparison.Ordinal)
            || await store.FindAsync(request.Owner[IncidentReports.MailOwnerPrefix.Length..], cancellationToken) is not { } incident)
        {
            return null;
        }

        var vendor = (await registry.RecordAsync(incident.VendorId, cancellationToken))?.Vendor;
        var nameJa = vendor?.LegalName.Ja ?? incident.VendorId;
        var nameEn = vendor?.LegalName.En ?? nameJa;
        var assessment = incidentClock.Assess(incident);
        var page = new Uri(letters.PortalBaseUrl, $"staff/incidents/{incident.Id}").ToString();
        var link = new LetterLink(page, "事案（職員用ページ）", "The incident (staff page)");
        var to = new MailAddressee(request.ToAddress);
        var triggersJa = assessment.Reportable ? string.Join("、", assessment.Triggers.Select(id => incidentClock.Rules.Trigger(id).Ja)) : "";
        var triggersEn = assessment.Reportable ? string.Join("; ", assessment.Triggers.Select(id => incidentClock.Rules.Trigger(id).En)) : "";
        if (request.Purpose == ReportedPurpose)
        {
            var reportableJa = assessment.Reportable
                ? $"報告対象事態に該当するおそれがあります（{triggersJa}）。個人情報保護委員会への速報の目安は {Day(assessment.PreliminaryDueFrom)}〜{Day(assessment.PreliminaryDueBy)}、確報の期限は {Day(assessment.FinalDueBy)} です。"
                : "申告内容からは報告対象事態の要件に該当しません。内容を確認し、必要に応じて判断を見直してください。";
            var reportableEn = assessment.Reportable
                ? $"It may be reportable to the PPC ({triggersEn}). Preliminary report: about {Day(assessment.PreliminaryDueFrom)}–{Day(assessment.PreliminaryDueBy)}; final report due {Day(assessment.FinalDueBy)}."
                : "As reported, none of the reportable conditions holds. Please check the report and reassess if needed.";
            return letters.Write(request, new Letter(LetterAudience.Staff, to, null,
                $"【漏えい等の報告】{nameJa} {incident.Id} / Incident reported: {nameEn} {incident.Id}",
                [
                    $"委託先 {nameJa}（{incident.VendorId}）について、漏えい等の事案が報告されました（受付 {Time(incident.ReportedAt)}、当社が知った日時 {Time(incident.AwareAt)}）。",
                    $"概要：{Excerpt(incident.Report.Summary)}",
                    reportableJa,
                ],
                [
                    $"An incident was reported for {nameEn} ({incident.VendorId}) (received {Time(incident.ReportedAt)}; we became aware {Time(incident.AwareAt)}).",
                    $"Summary: {Excerpt(incident.Report.Summary)}",
                    reportableEn,
                ],
                assessment.Reportable ? new LetterDate(IncidentClock.JapanDay(assessment.FinalDueBy), "確報の期限", "Final report due") : null,
                link));
        }

        var step = request.Kind.Split('~')[0];
        var pending = incident.IsOpen && incident.FinalReportedAt is null && (step == Final || incident.PreliminaryReportedAt is null);
        if (!pending || !assessment.Reportable)
        {
            return null; // reported or closed meanwhile
        }

        var due = step == Final ? assessment.FinalDueBy : assessment.PreliminaryDueBy;
        var (labelJa, labelEn) = step == Final ? ("確報", "final report") : ("速報", "preliminary report");
        return letters.Write(request, new Letter(LetterAudience.Staff, to, null,
            $"【{labelJa}の期限】{nameJa} {incident.Id} / The {labelEn} to the PPC is due: {nameEn} {incident.Id}",
            [
                $"委託先 {nameJa}（{incident.VendorId}）の漏えい等事案 {incident.Id}（{triggersJa}）について、個人情報保護委員会への{labelJa}の期限は {Day(due)} です。報告後は事案ページで記録してください。",
            ],
            [
                $"The {labelEn} to the PPC for incident {incident.Id} of {nameEn} ({incident.VendorId}; {triggersEn}) is due {Day(due)}. Record it on the incident page once made.",
            ],
            new LetterDate(IncidentClock.JapanDay(due), $"{labelJa}の期限", $"{char.ToUpperInvariant(labelEn[0])}{labelEn[1..]} due"),
            link));
    }

    public Task OnSettledAsync(MailRequest request, MailDelivery delivery, CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Day(DateTimeOffset at) => IncidentClock.JapanDay(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.ToOffset(IncidentClock.Japan).ToString("yyyy-MM-dd HH:mm 'JST'", CultureInfo.InvariantCulture);

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
