using FunctionsPortal.Checklists;

namespace FunctionsPortal.Scoring;

/// <summary>
/// Scores answers against a checklist: pure and deterministic (docs/scoring.md explains it with a worked example).
/// ○ done = 1, △ partial = ½, × not done = 0, agree = 1, agree with conditions = ½, disagree = 0, a choice its own points (several chosen: the best); N/A answers and
/// items that do not apply to the vendor are left out. Percentages are weighted by item weight. A failed must-pass
/// item means "needs correction" whatever the percentage; an unanswered required item means no score at all.
/// </summary>
public static class ScoringEngine
{
    public static ScoreResult Score(ResolvedChecklist checklist, VendorProfile profile, IReadOnlyDictionary<string, ItemAnswer> answers, GradeBands? bands = null)
    {
        ArgumentNullException.ThrowIfNull(checklist);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(answers);
        bands ??= GradeBands.Default;
        var items = new List<ItemScore>();
        var missing = new List<string>();
        var invalid = new List<AnswerProblem>();
        var findings = new List<ScoringFinding>();

        foreach (var (section, item) in checklist.Items)
        {
            if (!Applicability.Applies(item, profile, answers))
            {
                items.Add(new ItemScore(item.Id, section.Id, ItemScore.NotApplicable, null, item.Weight, item.Critical));
                continue;
            }

            answers.TryGetValue(item.Id, out var answer);
            if (answer is null || IsEmpty(answer))
            {
                if (item.Required)
                {
                    missing.Add(item.Id);
                }

                items.Add(new ItemScore(item.Id, section.Id, ItemScore.Unanswered, null, item.Weight, item.Critical));
                continue;
            }

            if (answer.IsNotApplicable)
            {
                if (!item.NaAllowed)
                {
                    invalid.Add(new AnswerProblem(item.Id, "N/A (該当なし) is not allowed for this item."));
                }
                else if (item.NaRequiresReason && string.IsNullOrWhiteSpace(answer.NaReason))
                {
                    invalid.Add(new AnswerProblem(item.Id, "N/A (該当なし) needs a reason for this item."));
                }

                items.Add(new ItemScore(item.Id, section.Id, ItemScore.AnsweredNotApplicable, null, item.Weight, item.Critical));
                continue;
            }

            if (!item.IsScored)
            {
                items.Add(new ItemScore(item.Id, section.Id, ItemScore.Informational, null, item.Weight, item.Critical));
                continue;
            }

            var points = PointsFor(item, answer, out var problem);
            if (points is null)
            {
                invalid.Add(new AnswerProblem(item.Id, problem!));
                items.Add(new ItemScore(item.Id, section.Id, ItemScore.Unanswered, null, item.Weight, item.Critical));
                continue;
            }

            items.Add(new ItemScore(item.Id, section.Id, ItemScore.Scored, points, item.Weight, item.Critical));
            if (points < 1)
            {
                findings.Add(new ScoringFinding(
                    item.Id, section.Id, AnswerLabel(answer), points.Value, item.Weight, item.Critical, Severity(item),
                    item.Finding?.Type ?? "process", item.Text, item.Finding?.Action ?? new Localized("", "")));
            }
        }

        var definition = checklist.Definition;
        if (missing.Count > 0 || invalid.Count > 0)
        {
            return new ScoreResult(definition.Id, definition.Version, Verdicts.Incomplete, null, null, [], [], missing, invalid, items);
        }

        var sections = checklist.Sections.Select(section => SectionScoreOf(section, items)).ToList();
        var percentage = Percentage(items);
        var grade = percentage is null ? null : bands.GradeFor(percentage.Value);
        var verdict = findings.Any(finding => finding.Critical) || percentage < bands.PassMark ? Verdicts.NeedsCorrection
            : findings.Count > 0 ? Verdicts.PassedWithFindings
            : Verdicts.Passed;
        return new ScoreResult(definition.Id, definition.Version, verdict, percentage, grade, sections, findings, [], [], items);
    }

    /// <summary>
    /// The sealed score with reviewers' reassessments of single items (points 0, ½ or 1 by item id) applied: sections,
    /// percentage, grade, verdict and findings recomputed the way <see cref="Score"/> computes them. Only items that
    /// were scored can be reassessed; an incomplete score stays as it is. The sealed score itself never changes.
    /// </summary>
    public static ScoreResult Reassess(ResolvedChecklist checklist, ScoreResult sealedScore, IReadOnlyDictionary<string, decimal> points, GradeBands? bands = null)
    {
        ArgumentNullException.ThrowIfNull(checklist);
        ArgumentNullException.ThrowIfNull(sealedScore);
        ArgumentNullException.ThrowIfNull(points);
        if (!sealedScore.IsComplete || points.Count == 0)
        {
            return sealedScore;
        }

        bands ??= GradeBands.Default;
        var itemsById = checklist.Items.ToDictionary(pair => pair.Item.Id, pair => pair.Item, StringComparer.Ordinal);
        var items = sealedScore.Items
            .Select(item => item.Outcome == ItemScore.Scored && points.TryGetValue(item.ItemId, out var reassessed) ? item with { Points = reassessed } : item)
            .ToList();
        var findings = sealedScore.Findings.Where(finding => !points.ContainsKey(finding.ItemId)).ToList();
        foreach (var item in items.Where(item => item.Outcome == ItemScore.Scored && points.ContainsKey(item.ItemId) && item.Points < 1))
        {
            var definition = itemsById[item.ItemId];
            findings.Add(new ScoringFinding(
                item.ItemId, item.SectionId, Reassessed, item.Points!.Value, item.Weight, item.Critical, Severity(definition),
                definition.Finding?.Type ?? "process", definition.Text, definition.Finding?.Action ?? new Localized("", "")));
        }

        var order = items.Select((item, index) => (item.ItemId, index)).ToDictionary(pair => pair.ItemId, pair => pair.index, StringComparer.Ordinal);
        findings = findings.OrderBy(finding => order.GetValueOrDefault(finding.ItemId)).ToList();
        var sections = checklist.Sections.Select(section => SectionScoreOf(section, items)).ToList();
        var percentage = Percentage(items);
        var grade = percentage is null ? null : bands.GradeFor(percentage.Value);
        var verdict = findings.Any(finding => finding.Critical) || percentage < bands.PassMark ? Verdicts.NeedsCorrection
            : findings.Count > 0 ? Verdicts.PassedWithFindings
            : Verdicts.Passed;
        return sealedScore with { Verdict = verdict, Percentage = percentage, Grade = grade, Sections = sections, Findings = findings, Items = items };
    }

    /// <summary>The problem of an agreement answered "with conditions" that states none.</summary>
    public const string ConditionsMissing = "Agreeing with conditions needs the conditions.";

    /// <summary>The answer label of a finding that exists because a reviewer reassessed the item.</summary>
    public const string Reassessed = "reassessed";

    /// <summary>Severity from must-pass status and weight: critical, high (4–5), medium (3), low (1–2).</summary>
    public static string Severity(ChecklistItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Critical ? "critical" : item.Weight >= 4 ? "high" : item.Weight == 3 ? "medium" : "low";
    }

    private static decimal? PointsFor(ChecklistItem item, ItemAnswer answer, out string? problem)
    {
        problem = null;
        if (item.AnswerType == AnswerTypes.Status)
        {
            switch (answer.Status)
            {
                case StatusAnswers.Done:
                    return 1m;
                case StatusAnswers.Partial:
                    return 0.5m;
                case StatusAnswers.NotDone:
                    return 0m;
                default:
                    problem = $"'{answer.Status}' is not an answer to this item (done, partial, not-done or na).";
                    return null;
            }
        }

        if (item.AnswerType == AnswerTypes.Agreement)
        {
            switch (answer.Status)
            {
                case AgreementAnswers.Agree:
                    return 1m;
                case AgreementAnswers.AgreeWithConditions when string.IsNullOrWhiteSpace(answer.Text):
                    problem = ConditionsMissing;
                    return null;
                case AgreementAnswers.AgreeWithConditions:
                    // Half: the vendor accepts the principle, but its conditions still need negotiating and may be unacceptable.
                    return 0.5m;
                case AgreementAnswers.Disagree:
                    return 0m;
                default:
                    problem = $"'{answer.Status}' is not an answer to this item (agree, agree-with-conditions, disagree or na).";
                    return null;
            }
        }

        var chosen = answer.Choices ?? [];
        var choices = item.Choices ?? [];
        var unknown = chosen.Where(id => choices.All(choice => choice.Id != id)).ToList();
        if (chosen.Count == 0 || unknown.Count > 0)
        {
            problem = unknown.Count > 0 ? $"'{unknown[0]}' is not one of this item's choices." : "Choose an answer.";
            return null;
        }

        if (item.AnswerType == AnswerTypes.SingleChoice && chosen.Count > 1)
        {
            problem = "Choose one answer only.";
            return null;
        }

        return choices.Where(choice => chosen.Contains(choice.Id)).Max(choice => choice.Points);
    }

    private static SectionScore SectionScoreOf(ChecklistSection section, List<ItemScore> items)
    {
        var scored = items.Where(item => item.SectionId == section.Id && item.Outcome == ItemScore.Scored).ToList();
        var possible = scored.Sum(item => (decimal)item.Weight);
        var earned = scored.Sum(item => item.Weight * item.Points!.Value);
        return new SectionScore(section.Id, section.Title, possible == 0 ? null : Round(earned / possible * 100), scored.Count, earned, possible);
    }

    private static decimal? Percentage(IEnumerable<ItemScore> items)
    {
        var scored = items.Where(item => item.Outcome == ItemScore.Scored).ToList();
        var possible = scored.Sum(item => (decimal)item.Weight);
        return possible == 0 ? null : Round(scored.Sum(item => item.Weight * item.Points!.Value) / possible * 100);
    }

    private static decimal Round(decimal value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);

    private static bool IsEmpty(ItemAnswer answer) =>
        answer.Status is null && answer.Choices is not { Count: > 0 } && string.IsNullOrWhiteSpace(answer.Text)
        && answer.Number is null && answer.Date is null && answer.Files is not { Count: > 0 };

    private static string AnswerLabel(ItemAnswer answer) => answer.Status ?? string.Join(',', answer.Choices ?? []);
}
