using System.Globalization;
using FunctionsPortal.Checklists;
using FunctionsPortal.Hosting;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Exports;

/// <summary>The five exports as tables: what each row is and which columns it has (README "Exports and reports").</summary>
public static class ExportTables
{
    public const string Vendors = "vendors";
    public const string Assignments = "assignments";
    public const string Scores = "scores";
    public const string Findings = "findings";
    public const string Answers = "answers";

    public static readonly IReadOnlyList<string> All = [Vendors, Assignments, Scores, Findings, Answers];

    /// <summary>What each cycle export reads beyond the assignments (the vendors export reads no cycle).</summary>
    public static CycleParts PartsFor(string dataset) => dataset switch
    {
        Scores or Findings => CycleParts.Scores,
        Answers => CycleParts.Answers,
        _ => CycleParts.None,
    };

    /// <summary>The registry, with the columns of <c>/api/vendors/export.csv</c> (so the file imports back).</summary>
    public static ExportTable VendorList(IEnumerable<VendorView> views) => new(
        "委託先一覧", "vendors", VendorCsv.Columns,
        VendorCsv.InExportOrder(views).Select(view => Row(view.Id, VendorCsv.ToRow(view))).ToList());

    /// <summary>One row per assignment of the cycle.</summary>
    public static ExportTable AssignmentList(CycleSnapshot cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        return new("調査一覧", "assignments",
            ["cycle", "vendorId", "vendorName", "kind", "checklist", "status", "dueOn", "invitedAt", "submittedAt", "submittedVersion", "recipientProblem"],
            cycle.Entries.Select(entry => Row(entry.Assignment.VendorId,
            [
                entry.Assignment.Cycle, entry.Assignment.VendorId, entry.VendorName, entry.Assignment.Kind, Checklist(entry.Assignment), entry.Assignment.Status,
                entry.Assignment.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Time(entry.Assignment.InvitedAt), Time(entry.SubmittedAt),
                entry.Assignment.SubmittedVersion?.ToString(CultureInfo.InvariantCulture), entry.Assignment.RecipientProblem,
            ])).ToList());
    }

    /// <summary>One row per scored submission (its latest sealed version): overall score, grade, verdict, then one column per section.</summary>
    public static ExportTable ScoreList(CycleSnapshot cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var scored = cycle.Entries.Where(entry => entry.Score is not null).ToList();
        // Sections in the order they first appear, so one checklist's sections keep their order and a second checklist's extra ones follow.
        var sections = scored.SelectMany(entry => entry.Score!.Sections).DistinctBy(section => section.SectionId).ToList();
        return new("評点一覧", "scores",
            ["vendorId", "vendorName", "kind", "checklist", "submittedVersion", "submittedAt", "score", "grade", "verdict", .. sections.Select(section => $"{section.Title.Ja} ({section.SectionId})")],
            scored.Select(entry =>
            {
                var score = entry.Score!;
                var bySection = score.Sections.ToDictionary(section => section.SectionId, StringComparer.Ordinal);
                return Row(entry.Assignment.VendorId,
                [
                    entry.Assignment.VendorId, entry.VendorName, entry.Assignment.Kind, Checklist(entry.Assignment), entry.Assignment.SubmittedVersion?.ToString(CultureInfo.InvariantCulture),
                    Time(entry.SubmittedAt), Percent(score.Percentage), score.Grade, score.Verdict,
                    .. sections.Select(section => Percent(bySection.GetValueOrDefault(section.SectionId)?.Percentage)),
                ]);
            }).ToList());
    }

    /// <summary>One row per failed (×) or partial (△) item of each latest sealed version, with its recommended action.</summary>
    public static ExportTable FindingList(CycleSnapshot cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        return new("指摘事項一覧", "findings",
            ["vendorId", "vendorName", "kind", "submittedVersion", "sectionId", "itemId", "itemText", "answer", "points", "weight", "critical", "severity", "type", "recommendedAction", "itemTextEn", "recommendedActionEn"],
            cycle.Entries.Where(entry => entry.Score is not null).SelectMany(entry => entry.Score!.Findings.Select(finding => Row(entry.Assignment.VendorId,
            [
                entry.Assignment.VendorId, entry.VendorName, entry.Assignment.Kind, entry.Assignment.SubmittedVersion?.ToString(CultureInfo.InvariantCulture),
                finding.SectionId, finding.ItemId, finding.Text.Ja, AnswerText(finding.Answer), Percent(finding.Points * 100), finding.Weight.ToString(CultureInfo.InvariantCulture),
                finding.Critical ? "yes" : "no", finding.Severity, finding.Type, finding.Action.Ja, finding.Text.En, finding.Action.En,
            ]))).ToList());
    }

    /// <summary>
    /// One row per vendor × item of the checklist version the survey was frozen to, every question kept: an item not
    /// answered (or a survey not yet submitted) is a row with an empty answer. Handling-method documents have no items.
    /// </summary>
    public static ExportTable AnswerList(CycleSnapshot cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var rows = new List<(string? Label, IReadOnlyList<string?> Cells)>();
        foreach (var entry in cycle.Entries)
        {
            if (cycle.ChecklistOf(entry.Assignment) is not { } checklist)
            {
                continue;
            }

            foreach (var (section, item) in checklist.Items)
            {
                var answer = entry.Payload?.Answers.GetValueOrDefault(item.Id);
                var files = entry.Payload?.Evidence.Where(file => file.ItemId == item.Id).Select(file => file.FileName) ?? [];
                rows.Add(Row(entry.Assignment.VendorId,
                [
                    entry.Assignment.VendorId, entry.VendorName, entry.Assignment.Kind, Checklist(entry.Assignment), entry.Assignment.SubmittedVersion?.ToString(CultureInfo.InvariantCulture),
                    section.Id, section.Title.Ja, item.Id, item.Text.Ja, item.Critical ? "yes" : "no",
                    answer?.Describe(item, text => text.Ja), answer?.Comment, answer?.CarriedForward == true ? "yes" : null, string.Join(';', files),
                ]));
            }
        }

        return new("回答一覧", "answers",
            ["vendorId", "vendorName", "kind", "checklist", "submittedVersion", "sectionId", "sectionTitle", "itemId", "itemText", "critical", "answer", "comment", "carriedForward", "evidence"],
            rows);
    }

    private static (string? Label, IReadOnlyList<string?> Cells) Row(string label, IReadOnlyList<string?> cells) => (label, cells);

    private static string Checklist(Assignment assignment) =>
        assignment.ChecklistId is { } id ? $"{id} v{assignment.ChecklistVersion?.ToString(CultureInfo.InvariantCulture)}" : "";

    private static string? Time(DateTimeOffset? at) => at?.ToOffset(PageText.Japan).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string? Percent(decimal? value) => value?.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A finding's answer as ○/△/× words (choices stay their ids: the score does not keep the labels).</summary>
    private static string AnswerText(string answer) =>
        StatusAnswers.LabelFor(answer)?.Ja ?? answer;
}
