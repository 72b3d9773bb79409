using FunctionsPortal.Checklists;
using FunctionsPortal.Scoring;

namespace FunctionsPortal.Tests.Scoring;

public sealed class ScoringEngineTests
{
    private static readonly VendorProfile Domestic = new(new HashSet<string>(), new HashSet<string> { "personal" }, "bpo", 1000);

    private static ResolvedChecklist AnnualFull() =>
        ResolvedChecklist.Resolve(DefaultChecklists.Get("annual-full", 1), null);

    /// <summary>Answers every applicable item of a checklist the best way.</summary>
    private static Dictionary<string, ItemAnswer> BestAnswers(ResolvedChecklist checklist, VendorProfile profile)
    {
        var answers = new Dictionary<string, ItemAnswer>(StringComparer.Ordinal);
        foreach (var (_, item) in checklist.Items)
        {
            if (!Applicability.Applies(item, profile, answers))
            {
                continue;
            }

            answers[item.Id] = item.AnswerType switch
            {
                AnswerTypes.Status => new ItemAnswer { Status = StatusAnswers.Done },
                AnswerTypes.SingleChoice or AnswerTypes.MultipleChoice => new ItemAnswer { Choices = [item.Choices!.OrderByDescending(choice => choice.Points).First().Id] },
                AnswerTypes.Number => new ItemAnswer { Number = 3 },
                AnswerTypes.Date => new ItemAnswer { Date = new DateOnly(2026, 4, 1) },
                AnswerTypes.File => new ItemAnswer { Files = ["register.xlsx"] },
                _ => new ItemAnswer { Text = "記入しました" },
            };
        }

        return answers;
    }

    [Fact]
    public void AVendorThatDoesEverythingPassesWithFullMarks()
    {
        var checklist = AnnualFull();

        var result = ScoringEngine.Score(checklist, Domestic, BestAnswers(checklist, Domestic));

        Assert.Equal(Verdicts.Passed, result.Verdict);
        Assert.Equal(100m, result.Percentage);
        Assert.Equal("A", result.Grade);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void QuestionsThatDoNotApplyToTheVendorNeedNoAnswerAndDoNotCount()
    {
        var checklist = AnnualFull();
        var answers = BestAnswers(checklist, Domestic);

        var result = ScoringEngine.Score(checklist, Domestic, answers);

        Assert.DoesNotContain(answers.Keys, id => id.StartsWith("OVS-", StringComparison.Ordinal) || id.StartsWith("SUB-", StringComparison.Ordinal));
        Assert.All(result.Items.Where(item => item.SectionId is "overseas" or "subcontracting"), item => Assert.Equal(ItemScore.NotApplicable, item.Outcome));
        Assert.True(result.IsComplete);
    }

    [Fact]
    public void AnUnansweredRequiredItemMeansNoScoreAndSaysWhichItem()
    {
        var checklist = AnnualFull();
        var answers = BestAnswers(checklist, Domestic);
        answers.Remove("GOV-01");

        var result = ScoringEngine.Score(checklist, Domestic, answers);

        Assert.Equal(Verdicts.Incomplete, result.Verdict);
        Assert.Null(result.Percentage);
        Assert.Equal(["GOV-01"], result.MissingRequired);
    }

    [Fact]
    public void NotApplicableWithoutTheRequiredReasonIsAnInvalidAnswer()
    {
        var checklist = AnnualFull();
        var item = checklist.Items.Select(pair => pair.Item).First(candidate => candidate.NaAllowed && candidate.NaRequiresReason && candidate.Applicability is not { Count: > 0 });
        var answers = BestAnswers(checklist, Domestic);
        answers[item.Id] = new ItemAnswer { Status = StatusAnswers.NotApplicable };

        var withoutReason = ScoringEngine.Score(checklist, Domestic, answers);
        answers[item.Id] = new ItemAnswer { Status = StatusAnswers.NotApplicable, NaReason = "当社業務では紙を扱わないため" };
        var withReason = ScoringEngine.Score(checklist, Domestic, answers);

        Assert.Equal(Verdicts.Incomplete, withoutReason.Verdict);
        Assert.Equal(item.Id, Assert.Single(withoutReason.InvalidAnswers).ItemId);
        Assert.Equal(100m, withReason.Percentage);
    }

    [Fact]
    public void AFailedMustPassItemNeedsCorrectionEvenWithAnAlmostPerfectScore()
    {
        var checklist = AnnualFull();
        var answers = BestAnswers(checklist, Domestic);
        answers["TRN-07"] = new ItemAnswer { Status = StatusAnswers.NotDone }; // written pledges from handlers: must pass

        var result = ScoringEngine.Score(checklist, Domestic, answers);

        Assert.True(result.Percentage > 90);
        Assert.Equal(Verdicts.NeedsCorrection, result.Verdict);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("TRN-07", "critical"), (finding.ItemId, finding.Severity));
        Assert.Equal(checklist.FindItem("TRN-07")!.Finding!.Type, finding.Type);
        Assert.False(string.IsNullOrWhiteSpace(finding.Action.Ja));
    }

    [Fact]
    public void AnAnswerConditionRevealsTheFollowUpQuestion()
    {
        var checklist = AnnualFull();
        var answers = BestAnswers(checklist, Domestic);

        answers["HDL-05"] = new ItemAnswer { Status = StatusAnswers.NotDone };
        answers.Remove("HDL-06");
        answers.Remove("HDL-07");
        var withoutRegister = ScoringEngine.Score(checklist, Domestic, answers);

        Assert.True(withoutRegister.IsComplete);
        Assert.Equal(ItemScore.NotApplicable, withoutRegister.Items.Single(item => item.ItemId == "HDL-07").Outcome);
        answers["HDL-05"] = new ItemAnswer { Status = StatusAnswers.Done };
        Assert.Contains("HDL-07", ScoringEngine.Score(checklist, Domestic, answers).MissingRequired);
    }

    [Fact]
    public void UnknownChoicesAndTwoAnswersToASingleChoiceAreInvalid()
    {
        var checklist = AnnualFull();
        var single = checklist.Items.Select(pair => pair.Item).First(item => item.AnswerType == AnswerTypes.SingleChoice && item.Applicability is not { Count: > 0 });
        var answers = BestAnswers(checklist, Domestic);

        answers[single.Id] = new ItemAnswer { Choices = ["no-such-choice"] };
        var unknown = ScoringEngine.Score(checklist, Domestic, answers);
        answers[single.Id] = new ItemAnswer { Choices = single.Choices!.Take(2).Select(choice => choice.Id).ToList() };
        var two = ScoringEngine.Score(checklist, Domestic, answers);

        Assert.Contains("no-such-choice", Assert.Single(unknown.InvalidAnswers).Message, StringComparison.Ordinal);
        Assert.Equal("Choose one answer only.", Assert.Single(two.InvalidAnswers).Message);
    }

    [Fact]
    public void AReassessmentIsScoredAsIfItWereTheAnswerAndOnlyItemsThatWereScoredMove()
    {
        var checklist = AnnualFull();
        var answers = BestAnswers(checklist, Domestic);
        answers["TRN-07"] = new ItemAnswer { Status = StatusAnswers.NotDone };
        var sealedScore = ScoringEngine.Score(checklist, Domestic, answers);
        var asIfDone = ScoringEngine.Score(checklist, Domestic, BestAnswers(checklist, Domestic));
        var partialGov = BestAnswers(checklist, Domestic);
        partialGov["GOV-03"] = new ItemAnswer { Status = StatusAnswers.Partial };
        var asIfPartial = ScoringEngine.Score(checklist, Domestic, partialGov);

        var forgiven = ScoringEngine.Reassess(checklist, sealedScore, new Dictionary<string, decimal> { ["TRN-07"] = 1m });
        var moved = ScoringEngine.Reassess(checklist, forgiven, new Dictionary<string, decimal> { ["GOV-03"] = 0.5m, ["SUB-01"] = 0m });

        Assert.Equal(Verdicts.NeedsCorrection, sealedScore.Verdict);
        Assert.Equal((asIfDone.Verdict, asIfDone.Percentage, asIfDone.Grade), (forgiven.Verdict, forgiven.Percentage, forgiven.Grade));
        Assert.Equal(asIfDone.Sections.Select(section => section.Percentage), forgiven.Sections.Select(section => section.Percentage));
        Assert.Empty(forgiven.Findings);
        Assert.Equal(asIfPartial.Percentage, moved.Percentage); // SUB-01 does not apply to this vendor, so it cannot be reassessed
        var finding = Assert.Single(moved.Findings);
        Assert.Equal(("GOV-03", ScoringEngine.Reassessed, 0.5m), (finding.ItemId, finding.Answer, finding.Points));
        Assert.Equal(ItemScore.NotApplicable, moved.Items.Single(item => item.ItemId == "SUB-01").Outcome);
    }
}
