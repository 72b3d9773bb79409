using System.Text;
using FunctionsPortal.Checklists;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Evidence;
using FunctionsPortal.Responses;
using FunctionsPortal.Reviews;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.DemoData;

/// <summary>
/// Gives one demo vendor (サンプル物流) an accepted submission from an earlier cycle, sealed like any other, so the
/// local portal shows carry-forward at once: each question of this year's survey offers last year's answer. Three of
/// those answers are findings (GOV-03 ×, TRN-01 △ without a date, HDL-05 △ planned), so accepting it — through the
/// reviewer's path — raises corrective actions with their tasks on the local task list; the vendor has already
/// handed in remediation for GOV-03, which waits for staff to verify it.
/// </summary>
internal sealed class DemoHistory(
    AssignmentStore assignments,
    DraftStore drafts,
    EvidenceStore evidence,
    SubmissionStore submissions,
    SubmissionSealer sealer,
    ChecklistLibrary checklists,
    VendorRegistry registry,
    ReviewDecisions reviews,
    CorrectiveActionStore actions,
    RemediationSubmissions remediations,
    TimeProvider timeProvider)
{
    public const string VendorId = "demo-sample-logistics";
    public const string Cycle = "demo-last-year";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var key = AssignmentKey.For(Cycle, VendorId, SurveyKinds.Annual);
        if ((await submissions.SealedVersionsAsync(key, cancellationToken)).Count > 0
            || await registry.ProfileAsync(VendorId, cancellationToken) is not { } vendor
            || await checklists.ResolveAsync("annual-lite", 1, cancellationToken) is not { } checklist)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        // Created and invited a year ago: the planner must see this as last period's survey, not this one's.
        var lastYear = now.AddYears(-1);
        var assignment = new Assignment
        {
            Cycle = Cycle,
            VendorId = VendorId,
            Kind = SurveyKinds.Annual,
            ChecklistId = "annual-lite",
            ChecklistVersion = 1,
            DueOn = DateOnly.FromDateTime(lastYear.UtcDateTime).AddDays(30),
            Status = AssignmentStatus.Invited,
            InvitedAt = lastYear,
            RecipientEmail = vendor.Record.Vendor.ResponsibleOfficer.Email,
            RecipientName = vendor.Record.Vendor.ResponsibleOfficer.Name,
            CreatedAt = lastYear,
        };
        await assignments.CreateManyAsync([assignment], cancellationToken);
        assignment = await assignments.FindAsync(key, cancellationToken) ?? assignment;

        var answers = new Dictionary<string, ItemAnswer>(StringComparer.Ordinal);
        var findings = Findings(DateOnly.FromDateTime(now.UtcDateTime).AddMonths(4));
        var files = new List<EvidenceFile>();
        foreach (var (_, item) in checklist.Items.Where(pair => Applicability.Applies(pair.Item, vendor.Profile, answers)))
        {
            if (item.Evidence == "required" || item.AnswerType == AnswerTypes.File)
            {
                using var pdf = new MemoryStream(DemoPdf(item.Id));
                var upload = await evidence.StoreAsync(key, item.Id, $"{item.Id}_last-year.pdf", pdf, files.Sum(file => file.Size), cancellationToken);
                files.Add(upload.File ?? throw new InvalidOperationException($"The demo evidence for {item.Id} was refused: {upload.Refusal?.MessageEn}"));
            }

            answers[item.Id] = findings.TryGetValue(item.Id, out var finding) ? finding : item.AnswerType switch
            {
                AnswerTypes.Status => new ItemAnswer { Status = StatusAnswers.Done, Comment = item.Id == "GOV-04" ? "2025年4月に規程を改訂" : null },
                AnswerTypes.Agreement => new ItemAnswer { Status = AgreementAnswers.Agree },
                AnswerTypes.SingleChoice or AnswerTypes.MultipleChoice => new ItemAnswer { Choices = [item.Choices!.MaxBy(choice => choice.Points)!.Id] },
                AnswerTypes.File => new ItemAnswer { Files = files.Where(file => file.ItemId == item.Id).Select(file => file.Id).ToList() },
                _ => new ItemAnswer { Text = "前年度のデモ回答" },
            };
        }

        var draft = await drafts.UpdateAsync(key, current => current with { Answers = answers, Evidence = files }, cancellationToken);
        var officer = vendor.Record.Vendor.ResponsibleOfficer;
        var outcome = await sealer.SealAsync(new SealRequest(
            assignment, draft, draft.Revision, checklist, vendor.Profile, vendor.Record.Vendor.LegalName.Ja, vendor.Record.Vendor.CorporateNumber,
            new Officer(officer.Name, officer.Title ?? "", officer.Email)), cancellationToken);
        if (outcome.Status is SealStatus.Sealed or SealStatus.AlreadySealed)
        {
            // Accepted the way a reviewer accepts: the findings become corrective actions (and tasks, and the vendor's mail).
            await reviews.AcceptAsync(key, "demo-reviewer@example.jp", "デモ：昨年度分を受理（是正計画あり）", cancellationToken);
            await HandInRemediationAsync(key, cancellationToken);
        }
    }

    /// <summary>Last year's findings: a × with a plan, a △ without a date (both actions), a △ planned (a ledger plan).</summary>
    private static Dictionary<string, ItemAnswer> Findings(DateOnly plannedOn) => new(StringComparer.Ordinal)
    {
        ["GOV-03"] = new() { Status = StatusAnswers.NotDone, Reason = "受任者が異動し、後任の任命が遅れているため", PlannedOn = plannedOn, Measure = "後任の受任者を任命し、報告書を提出する" },
        ["TRN-01"] = new() { Status = StatusAnswers.Partial },
        ["HDL-05"] = new() { Status = StatusAnswers.Partial, PlannedOn = plannedOn, Measure = "アクセスログの定期確認手順を定める" },
    };

    /// <summary>The vendor's remediation for GOV-03 (a statement and a document), waiting for staff on /staff/actions.</summary>
    private async Task HandInRemediationAsync(string key, CancellationToken cancellationToken)
    {
        var action = (await actions.ListForVendorAsync(VendorId, cancellationToken)).FirstOrDefault(candidate => candidate.AssignmentKey == key && candidate.ItemId == "GOV-03");
        if (action is null || !ActionStatuses.AwaitsVendor(action.Status))
        {
            return;
        }

        using var pdf = new MemoryStream(Encoding.ASCII.GetBytes("%PDF-1.4\n% FunctionsPortal demo: responsible-officer report\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"));
        var upload = await evidence.StoreAsync(key, $"ca-{action.Id}", "受任者報告書.pdf", pdf, 0, cancellationToken);
        await remediations.SubmitAsync(VendorId, action.Id, "後任の受任者として情報システム部長を任命し、情報管理受任者報告書を作成しました。報告書を添付します。",
            [upload.File ?? throw new InvalidOperationException($"The demo remediation document was refused: {upload.Refusal?.MessageEn}")], cancellationToken);
    }

    private static byte[] DemoPdf(string itemId) =>
        Encoding.ASCII.GetBytes($"%PDF-1.4\n% FunctionsPortal demo evidence for {itemId} (last year)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
}
