using CsCheck;
using FunctionsPortal.Checklists;
using FunctionsPortal.Scoring;

namespace FunctionsPortal.Tests.Scoring;

/// <summary>Invariants of the scoring engine over random checklists and answers (CsCheck shrinks any counter-example).</summary>
public sealed class ScoringPropertiesTests
{
    private static readonly VendorProfile Profile = new(new HashSet<string>(), new HashSet<string> { "personal" }, "bpo", 10);
    private static readonly decimal[] ChoicePoints = [0m, 0.25m, 0.5m, 1m];

    private static readonly Gen<ChecklistItem> ItemGen =
        Gen.Select(Gen.Bool, Gen.Int[1, 5], Gen.Int[0, 9], Gen.Bool, Gen.Int[2, 4], (isChoice, weight, criticalRoll, naAllowed, choiceCount) => new ChecklistItem
        {
            Text = new("質問", "Question"),
            Source = new(["000"], null),
            AnswerType = isChoice ? AnswerTypes.SingleChoice : AnswerTypes.Status,
            Choices = isChoice ? Enumerable.Range(0, choiceCount).Select(i => new Choice($"c{i}", new("選択肢", "Choice"), ChoicePoints[i % ChoicePoints.Length])).ToList() : null,
            Weight = weight,
            Critical = criticalRoll == 0,
            Required = true,
            Evidence = "none",
            NaAllowed = naAllowed,
            NaRequiresReason = naAllowed,
            Finding = new("process", new("改善を指導する。", "Guide an improvement.")),
        });

    private static readonly Gen<ResolvedChecklist> ChecklistGen =
        ItemGen.Array[1, 8].Array[1, 3].Select(sections =>
        {
            var counter = 0;
            var built = sections.Select((items, s) => new ChecklistSection($"s{s}", new("節", "Section"),
                items.Select(item => item with { Id = $"IT-{++counter:D2}" }).ToList())).ToList();
            var definition = new ChecklistDefinition { Id = "random", Version = 1, Kind = "interim", Title = new("t", "t"), Description = new("d", "d"), Sections = built };
            return ResolvedChecklist.Resolve(definition, null);
        });

    /// <summary>A random complete answer sheet: one roll per item picks its answer.</summary>
    private static readonly Gen<(ResolvedChecklist Checklist, Dictionary<string, ItemAnswer> Answers)> SheetGen =
        ChecklistGen.SelectMany(checklist => Gen.Int[0, 99].Array[checklist.Items.Count()].Select(rolls =>
        {
            var answers = checklist.Items.Select(pair => pair.Item).Zip(rolls).ToDictionary(pair => pair.First.Id, pair => AnswerFor(pair.First, pair.Second), StringComparer.Ordinal);
            return (checklist, answers);
        }));

    private static ItemAnswer AnswerFor(ChecklistItem item, int roll)
    {
        if (item.NaAllowed && roll % 5 == 0)
        {
            return new ItemAnswer { Status = StatusAnswers.NotApplicable, NaReason = "対象業務なし" };
        }

        return item.AnswerType == AnswerTypes.Status
            ? new ItemAnswer { Status = (roll % 3) switch { 0 => StatusAnswers.NotDone, 1 => StatusAnswers.Partial, _ => StatusAnswers.Done } }
            : new ItemAnswer { Choices = [item.Choices![roll % item.Choices.Count].Id] };
    }

    private static int Rank(string verdict) => verdict switch
    {
        Verdicts.NeedsCorrection => 0,
        Verdicts.PassedWithFindings => 1,
        Verdicts.Passed => 2,
        _ => -1,
    };

    [Fact]
    public void PercentagesStayWithinZeroAndOneHundred() => SheetGen.Sample(sheet =>
    {
        var result = ScoringEngine.Score(sheet.Checklist, Profile, sheet.Answers);

        Assert.True(result.IsComplete);
        Assert.InRange(result.Percentage ?? 0, 0m, 100m);
        Assert.All(result.Sections, section => Assert.InRange(section.Percentage ?? 0, 0m, 100m));
    }, iter: 300);

    [Fact]
    public void NotApplicableAnswersAreNeutral() => SheetGen.Sample(sheet =>
    {
        var result = ScoringEngine.Score(sheet.Checklist, Profile, sheet.Answers);
        var naItems = sheet.Answers.Where(answer => answer.Value.IsNotApplicable).Select(answer => answer.Key).ToHashSet();
        var withoutThem = ResolvedChecklist.Resolve(sheet.Checklist.Definition with
        {
            Sections = sheet.Checklist.Sections.Select(section => section with { Items = section.Items.Where(item => !naItems.Contains(item.Id)).ToList() }).ToList(),
        }, null);

        var reference = ScoringEngine.Score(withoutThem, Profile, sheet.Answers.Where(answer => !naItems.Contains(answer.Key)).ToDictionary());

        Assert.Equal(reference.Percentage, result.Percentage);
        Assert.Equal(reference.Verdict, result.Verdict);
    }, iter: 300);

    [Fact]
    public void ImprovingAnyAnswerNeverLowersTheScoreOrTheVerdict() => SheetGen.SelectMany(sheet => Gen.Int[0, sheet.Answers.Count - 1].Select(index => (sheet, index))).Sample(pick =>
    {
        var (checklist, answers) = pick.sheet;
        var item = checklist.Items.Select(pair => pair.Item).ElementAt(pick.index);
        var better = new Dictionary<string, ItemAnswer>(answers, StringComparer.Ordinal)
        {
            [item.Id] = item.AnswerType == AnswerTypes.Status
                ? new ItemAnswer { Status = StatusAnswers.Done }
                : new ItemAnswer { Choices = [item.Choices!.OrderByDescending(choice => choice.Points).First().Id] },
        };
        if (answers[item.Id].IsNotApplicable)
        {
            return; // turning N/A into an answer adds an item; that is not an improvement of an answer
        }

        var before = ScoringEngine.Score(checklist, Profile, answers);
        var after = ScoringEngine.Score(checklist, Profile, better);

        Assert.True(after.Percentage >= before.Percentage, $"{before.Percentage} -> {after.Percentage}");
        Assert.True(Rank(after.Verdict) >= Rank(before.Verdict), $"{before.Verdict} -> {after.Verdict}");
    }, iter: 300);

    [Fact]
    public void AFailedCriticalItemAlwaysCapsTheVerdict() => SheetGen.SelectMany(sheet => Gen.Int[0, sheet.Answers.Count - 1].Select(index => (sheet, index))).Sample(pick =>
    {
        var (checklist, answers) = pick.sheet;
        var target = checklist.Items.Select(pair => pair.Item).ElementAt(pick.index);
        var critical = ResolvedChecklist.Resolve(checklist.Definition with
        {
            Sections = checklist.Sections.Select(section => section with { Items = section.Items.Select(item => item.Id == target.Id ? item with { Critical = true } : item).ToList() }).ToList(),
        }, null);
        var failed = new Dictionary<string, ItemAnswer>(answers, StringComparer.Ordinal)
        {
            [target.Id] = target.AnswerType == AnswerTypes.Status
                ? new ItemAnswer { Status = StatusAnswers.NotDone }
                : new ItemAnswer { Choices = [target.Choices!.OrderBy(choice => choice.Points).First().Id] },
        };

        var result = ScoringEngine.Score(critical, Profile, failed);

        Assert.Equal(Verdicts.NeedsCorrection, result.Verdict);
        Assert.Contains(result.Findings, finding => finding.ItemId == target.Id && finding.Severity == "critical");
    }, iter: 300);

    [Fact]
    public void TheResultDoesNotDependOnTheOrderAnswersArrive() => SheetGen.Sample(sheet =>
    {
        var reversed = sheet.Answers.Reverse().ToDictionary(StringComparer.Ordinal);

        var first = ScoringEngine.Score(sheet.Checklist, Profile, sheet.Answers);
        var second = ScoringEngine.Score(sheet.Checklist, Profile, reversed);

        Assert.Equal(first.Percentage, second.Percentage);
        Assert.Equal(first.Findings.Select(finding => finding.ItemId), second.Findings.Select(finding => finding.ItemId));
    }, iter: 200);
}
