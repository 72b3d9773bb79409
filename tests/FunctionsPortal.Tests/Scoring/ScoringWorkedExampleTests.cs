using FunctionsPortal.Checklists;
using FunctionsPortal.Scoring;

namespace FunctionsPortal.Tests.Scoring;

/// <summary>The worked example in docs/scoring.md, number for number.</summary>
public sealed class ScoringWorkedExampleTests
{
    private static readonly VendorProfile Vendor = new(new HashSet<string>(), new HashSet<string> { "personal" }, "bpo", 5000);

    private static ChecklistItem Item(string id, int weight, bool critical = false, string type = AnswerTypes.Status, IReadOnlyList<Choice>? choices = null) => new()
    {
        Id = id, Text = new(id, id), Source = new(["000"], null), AnswerType = type, Choices = choices, Weight = weight, Critical = critical,
        Required = true, Evidence = "none", NaAllowed = true, NaRequiresReason = true, Finding = new("process", new("改善を指導する。", "Guide an improvement.")),
    };

    private static readonly ResolvedChecklist Example = ResolvedChecklist.Resolve(new ChecklistDefinition
    {
        Id = "example", Version = 1, Kind = "interim", Title = new("例", "Example"), Description = new("例", "Example"),
        Sections =
        [
            new("governance", new("体制・規程", "Governance"), [Item("GOV-01", 3), Item("GOV-02", 2)]),
            new("technical", new("技術的対策", "Technical measures"),
            [
                Item("TEC-01", 5, critical: true),
                Item("TEC-02", 4),
                Item("TEC-03", 2, type: AnswerTypes.SingleChoice, choices: [new("monthly", new("毎月", "Monthly"), 1), new("quarterly", new("四半期ごと", "Quarterly"), 0.5m), new("never", new("実施していない", "Never"), 0)]),
                Item("TEC-04", 3),
            ]),
        ],
    }, null);

    private static Dictionary<string, ItemAnswer> Answers(string tec01 = StatusAnswers.Done) => new(StringComparer.Ordinal)
    {
        ["GOV-01"] = new() { Status = StatusAnswers.Done },
        ["GOV-02"] = new() { Status = StatusAnswers.Partial },
        ["TEC-01"] = new() { Status = tec01 },
        ["TEC-02"] = new() { Status = StatusAnswers.NotDone },
        ["TEC-03"] = new() { Choices = ["quarterly"] },
        ["TEC-04"] = new() { Status = StatusAnswers.NotApplicable, NaReason = "data is handled only on thin clients without USB ports" },
    };

    [Fact]
    public void TheWorkedExampleScoresAsDocumented()
    {
        var result = ScoringEngine.Score(Example, Vendor, Answers());

        Assert.Equal([80.0m, 54.5m], result.Sections.Select(section => section.Percentage!.Value));
        Assert.Equal(62.5m, result.Percentage);
        Assert.Equal("C", result.Grade);
        Assert.Equal(Verdicts.PassedWithFindings, result.Verdict);
        Assert.Equal([("GOV-02", "low"), ("TEC-02", "high"), ("TEC-03", "low")], result.Findings.Select(finding => (finding.ItemId, finding.Severity)));
    }

    [Fact]
    public void TheWorkedExampleWithTheMustPassItemFailedNeedsCorrection()
    {
        var result = ScoringEngine.Score(Example, Vendor, Answers(tec01: StatusAnswers.NotDone));

        Assert.Equal(31.3m, result.Percentage);
        Assert.Equal("D", result.Grade);
        Assert.Equal(Verdicts.NeedsCorrection, result.Verdict);
    }

    [Fact]
    public void TheWorkedExampleComparedWithAprilEscalatesTheRepeatedFinding()
    {
        var april = ScoringEngine.Score(Example, Vendor, new Dictionary<string, ItemAnswer>(Answers(), StringComparer.Ordinal)
        {
            ["GOV-02"] = new() { Status = StatusAnswers.Done },
            ["TEC-03"] = new() { Choices = ["monthly"] },
        });

        var comparison = CycleComparison.Compare(new ScoredCycle(new DateOnly(2026, 4, 10), april), new ScoredCycle(new DateOnly(2026, 9, 30), ScoringEngine.Score(Example, Vendor, Answers())));

        var repeated = Assert.Single(comparison.RepeatedFindings);
        Assert.Equal(("TEC-02", "I", new DateOnly(2026, 12, 30)), (repeated.Finding.ItemId, repeated.Management.Level, repeated.Management.ManagedUntil));
        Assert.Equal([new DateOnly(2026, 10, 30), new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 30)], repeated.Management.FollowUpChecks);
        Assert.All(comparison.NewFindings, finding => Assert.Equal(("II", new DateOnly(2026, 10, 30)), (finding.Management.Level, finding.Management.ManagedUntil)));
        Assert.Equal(["GOV-02", "TEC-03"], comparison.NewFindings.Select(finding => finding.Finding.ItemId));
    }
}
