using System.Text.Json;
using FunctionsPortal.Checklists;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Checklists;

/// <summary>
/// The wording of version 2 of the defaults: one ○/△/× vocabulary (seed 004's), agreement questions answered as
/// agreements, 貴社 for the vendor and 当社 for us, and the items the seed review found missing, each with its source.
/// </summary>
public sealed class ChecklistWordingTests
{
    private static readonly IReadOnlyList<ChecklistDefinition> VersionTwo = [.. DefaultChecklists.All.Where(definition => definition.Version == 2)];

    private static IEnumerable<ChecklistItem> Items => VersionTwo.SelectMany(definition => definition.Sections ?? []).SelectMany(section => section.Items);

    [Fact]
    public void TheAnswersReadAsSeedFourDefinesThem()
    {
        Assert.Equal(
            [("done", "○ 対応済み", "○ Done"), ("partial", "△ 一部対応・対応予定", "△ Partly done or planned"), ("not-done", "× 未対応", "× Not done")],
            StatusAnswers.Labelled.Select(pair => (pair.Value, pair.Label.Ja, pair.Label.En)));
        Assert.Equal(
            [("agree", "同意する"), ("agree-with-conditions", "条件付きで同意する（条件を記入）"), ("disagree", "同意しない")],
            AgreementAnswers.Labelled.Select(pair => (pair.Value, pair.Label.Ja)));
    }

    [Fact]
    public void NoVersionTwoTextAndNoSourceFileUsesTheOldLabels()
    {
        // In code the old labels have no business at all; in checklist prose "実施している" can be plain Japanese, so
        // there only the label forms are looked for.
        string[] old = ["実施している", "一部実施・実施予定", "実施していない", "実施済み", "未実施"];
        string[] oldInChecklists = ["○ 実施している", "一部実施・実施予定", "× 実施していない", "○（実施済み）", "×（未実施）", "○を選択"];
        var checklists = string.Join('\n', VersionTwo.Select(definition => JsonSerializer.Serialize(definition, ChecklistLibrary.Json)));
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".razor", StringComparison.Ordinal) || path.EndsWith(".js", StringComparison.Ordinal))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (Path: path, Text: File.ReadAllText(path)))
            .ToList();

        Assert.All(oldInChecklists, label => Assert.DoesNotContain(label, checklists, StringComparison.Ordinal));
        Assert.All(old, label => Assert.Empty(sources.Where(file => file.Text.Contains(label, StringComparison.Ordinal)).Select(file => file.Path)));
        Assert.All(VersionTwo.Where(definition => definition.Description.Ja.Contains('○', StringComparison.Ordinal)),
            definition => Assert.Contains("○（対応済み）、△（一部対応・対応予定）、×（未対応）", definition.Description.Ja, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryQuestionThatAsksForAgreementIsAnAgreement()
    {
        var asking = Items.Where(item => item.Text.Ja.EndsWith("同意しますか。", StringComparison.Ordinal) || item.Text.En.StartsWith("Do you agree", StringComparison.Ordinal)).Select(item => item.Id).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["DD-13", "DD-20", "DD-32", "DD-33", "TRM-14"], asking);
        Assert.All(Items.Where(item => asking.Contains(item.Id)), item =>
        {
            Assert.Equal(AnswerTypes.Agreement, item.AnswerType);
            Assert.Equal("none", item.Evidence);
            Assert.DoesNotContain("○", item.Help?.Ja ?? "", StringComparison.Ordinal);
        });
        Assert.Equal(asking, Items.Where(item => item.AnswerType == AnswerTypes.Agreement).Select(item => item.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheVendorIsKishaAndWeAreToshaNeverHeisha()
    {
        var texts = Items.SelectMany(item => new[] { item.Text.Ja, item.Help?.Ja ?? "" }.Concat(item.Choices?.Select(choice => choice.Label.Ja) ?? []));

        Assert.All(texts, text =>
        {
            Assert.DoesNotContain("弊社", text, StringComparison.Ordinal);
            Assert.DoesNotContain("自社", text, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("annual-full", "GOV-08", "002", "保有個人データ")]
    [InlineData("annual-full", "HDL-12", "004", "FAX")]
    [InlineData("annual-full", "HDL-13", "004", "郵送")]
    [InlineData("annual-full", "HDL-14", "004", "誤送信")]
    [InlineData("annual-full", "TEC-16", "002", "頻度")]
    [InlineData("annual-full", "TEC-17", "002", "保管")]
    [InlineData("annual-full", "TEC-18", "002", "復元テスト")]
    [InlineData("annual-full", "TEC-19", "002", "暗号化")]
    [InlineData("due-diligence", "DD-34", "002", "バックアップ")]
    [InlineData("due-diligence", "DD-35", "004", "FAX")]
    public void TheItemsTheSeedReviewFoundMissingAreAskedWithTheirSource(string checklist, string itemId, string seed, string topic)
    {
        var item = DefaultChecklists.Get(checklist, 2).Sections!.SelectMany(section => section.Items).Single(candidate => candidate.Id == itemId);

        Assert.Contains(seed, item.Source.Seeds);
        Assert.Contains(topic, item.Text.Ja, StringComparison.Ordinal);
        Assert.True(item.IsScored);
        Assert.NotNull(item.Finding);
    }
}
