using System.Text;
using FunctionsPortal.Checklists;
using FunctionsPortal.Evidence;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.DemoData;

/// <summary>
/// Gives one demo vendor (サンプル物流) an accepted submission from an earlier cycle, sealed like any other, so the
/// local portal shows carry-forward at once: each question of this year's survey offers last year's answer.
/// </summary>
internal sealed class DemoHistory(
    AssignmentStore assignments,
    DraftStore drafts,
    EvidenceStore evidence,
    SubmissionStore submissions,
    SubmissionSealer sealer,
    ChecklistLibrary checklists,
    VendorRegistry registry,
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
        var files = new List<EvidenceFile>();
        foreach (var (_, item) in checklist.Items.Where(pair => Applicability.Applies(pair.Item, vendor.Profile, answers)))
        {
            if (item.Evidence == "required" || item.AnswerType == AnswerTypes.File)
            {
                using var pdf = new MemoryStream(DemoPdf(item.Id));
                var upload = await evidence.StoreAsync(key, item.Id, $"{item.Id}_last-year.pdf", pdf, files.Sum(file => file.Size), cancellationToken);
                files.Add(upload.File ?? throw new InvalidOperationException($"The demo evidence for {item.Id} was refused: {upload.Refusal?.MessageEn}"));
            }

            answers[item.Id] = item.AnswerType switch
            {
                AnswerTypes.Status => new ItemAnswer { Status = StatusAnswers.Done, Comment = item.Id == "GOV-04" ? "2025年4月に規程を改訂" : null },
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
            await assignments.TransitionAsync(key, AssignmentStatus.UnderReview, "demo-data", null, now, cancellationToken);
            await assignments.TransitionAsync(key, AssignmentStatus.Accepted, "demo-data", "Demo: last cycle, accepted", now, cancellationToken);
        }
    }

    private static byte[] DemoPdf(string itemId) =>
        Encoding.ASCII.GetBytes($"%PDF-1.4\n% FunctionsPortal demo evidence for {itemId} (last year)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
}
