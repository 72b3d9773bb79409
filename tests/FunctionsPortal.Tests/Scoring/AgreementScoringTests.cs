using FunctionsPortal.Checklists;
using FunctionsPortal.Scoring;
using FunctionsPortal.Submissions;

namespace FunctionsPortal.Tests.Scoring;

/// <summary>
/// Agreement items: agree 1, agree with conditions ½ (and only with the conditions stated), disagree 0 and a finding;
/// the sealed answer reads with its conditions wherever answers are shown.
/// </summary>
public sealed class AgreementScoringTests
{
    private static readonly VendorProfile Profile = new(new HashSet<string>(), new HashSet<string> { "personal" }, "bpo", 100);

    private static readonly ChecklistItem Agreement = new()
    {
        Id = "AGR-01",
        Text = new("覚書を締結することに同意しますか。", "Do you agree to sign the memorandum?"),
        Source = new(["003"], null),
        AnswerType = AnswerTypes.Agreement,
        Weight = 4,
        Required = true,
        Evidence = "none",
        Finding = new("process", new("同意を求める。", "Ask for agreement.")),
    };

    private static readonly ChecklistItem Scope = new()
    {
        Id = "AGR-02",
        Text = new("再委託していますか。", "Do you subcontract?"),
        Source = new(["000"], null),
        AnswerType = AnswerTypes.SingleChoice,
        Choices = [new("yes", new("はい", "Yes"), 1), new("no", new("いいえ", "No"), 1)],
        Weight = 0,
        Required = true,
        Evidence = "none",
    };

    private static readonly ChecklistDefinition Definition = new()
    {
        Id = "agreement-test",
        Version = 1,
        Kind = "due-diligence",
        Title = new("同意", "Agreement"),
        Description = new("同意の確認", "Agreement check"),
        Sections = [new("confirmations", new("確認", "Confirmations"), [Agreement, Scope])],
    };

    private static ScoreResult Score(ItemAnswer answer) =>
        ScoringEngine.Score(ResolvedChecklist.Resolve(Definition, null), Profile, new Dictionary<string, ItemAnswer>
        {
            ["AGR-01"] = answer,
            ["AGR-02"] = new() { Choices = ["yes"] },
        });

    [Fact]
    public void AnAgreementItemAndAnUnweightedScopeChoiceAreAValidChecklist()
    {
        Assert.Empty(ChecklistValidator.Validate(Definition));
        Assert.True(Agreement.IsScored);
        Assert.False(Scope.IsScored);
    }

    [Fact]
    public void AgreeScoresInFullWithoutAFinding()
    {
        var score = Score(new() { Status = AgreementAnswers.Agree });

        Assert.Equal(100m, score.Percentage);
        Assert.Empty(score.Findings);
        Assert.Equal(ItemScore.Informational, score.Items.Single(item => item.ItemId == "AGR-02").Outcome);
    }

    [Fact]
    public void AgreeWithConditionsScoresHalfAndOpensAFindingSoTheConditionsAreNegotiated()
    {
        var score = Score(new() { Status = AgreementAnswers.AgreeWithConditions, Text = "監査は年1回、事前通知のうえで" });

        Assert.Equal(50m, score.Percentage);
        Assert.Equal(0.5m, Assert.Single(score.Findings).Points);
    }

    [Fact]
    public void AgreeWithConditionsWithoutTheConditionsIsNotAnAnswer()
    {
        var score = Score(new() { Status = AgreementAnswers.AgreeWithConditions });

        Assert.Equal(Verdicts.Incomplete, score.Verdict);
        Assert.Equal(ScoringEngine.ConditionsMissing, Assert.Single(score.InvalidAnswers).Message);
    }

    [Fact]
    public void DisagreeScoresNothingAndIsAFinding()
    {
        var score = Score(new() { Status = AgreementAnswers.Disagree });

        Assert.Equal(0m, score.Percentage);
        var finding = Assert.Single(score.Findings);
        Assert.Equal(("AGR-01", "disagree"), (finding.ItemId, finding.Answer));
    }

    [Fact]
    public void AStatusValueIsNotAnAgreement()
    {
        var score = Score(new() { Status = StatusAnswers.Done });

        Assert.Contains("agree", Assert.Single(score.InvalidAnswers).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSealedAnswerReadsWithItsConditions()
    {
        var sealedAnswer = SealedAnswer.From(new() { Status = AgreementAnswers.AgreeWithConditions, Text = "事前通知のうえで" }, carriedForward: false);

        Assert.Equal("条件付きで同意する（条件：事前通知のうえで）", sealedAnswer.Describe(Agreement, text => text.Ja));
        Assert.Equal("Do not agree", SealedAnswer.From(new() { Status = AgreementAnswers.Disagree }, false).Describe(Agreement, text => text.En));
    }
}
