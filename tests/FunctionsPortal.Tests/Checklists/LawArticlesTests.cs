using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsPortal.Checklists;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Checklists;

/// <summary>
/// Every article of the APPI the portal cites is in <see cref="LawArticles.Appi"/> with its current (2022) number, and
/// is cited for its own subject where the text shows the subject. Version 1 of the default checklists is frozen history
/// (it still says 第22条 for 委託先の監督) and is not checked; every newer version and all source code is.
/// </summary>
public sealed partial class LawArticlesTests
{
    [Fact]
    public void TheTableHasTheArticlesTheSourceDocumentsAndTheReviewNameUnderTheirCurrentNumbers()
    {
        Assert.Equal("安全管理措置", LawArticles.Appi[23].Subject.Ja);
        Assert.Equal("従業者の監督", LawArticles.Appi[24].Subject.Ja);
        Assert.Equal("委託先の監督", LawArticles.Appi[25].Subject.Ja);
        Assert.Equal("漏えい等の報告等", LawArticles.Appi[26].Subject.Ja);
        Assert.Equal("第三者提供の制限", LawArticles.Appi[27].Subject.Ja);
        Assert.Equal("外国にある第三者への提供の制限", LawArticles.Appi[28].Subject.Ja);
        Assert.Equal("データ内容の正確性の確保等", LawArticles.Appi[22].Subject.Ja);
    }

    [Fact]
    public void CitationsAreFoundInJapaneseAndEnglish()
    {
        Assert.Equal([25, 23, 28, 26], LawArticles.CitedIn("法第25条、第２３条 and Art. 28, Article 26"));
        Assert.Empty(LawArticles.CitedIn("第三者提供 Artist 2"));
    }

    [Fact]
    public void EveryCitationInTheDefaultChecklistsAfterVersionOneIsInTheTableAndFitsItsItem()
    {
        var problems = new List<string>();
        foreach (var definition in DefaultChecklists.All.Where(definition => definition.Version > 1))
        {
            var json = JsonSerializer.Serialize(definition, ChecklistLibrary.Json);
            problems.AddRange(Problems($"{definition.Id} v{definition.Version}", json, context: null));
            foreach (var item in definition.Sections?.SelectMany(section => section.Items) ?? [])
            {
                var context = string.Join(' ', item.Text.Ja, item.Text.En, item.Help?.Ja, item.Help?.En);
                problems.AddRange(Problems($"{definition.Id} v{definition.Version} {item.Id}", item.Source.Reference ?? "", context));
            }
        }

        Assert.Empty(problems);
        Assert.Contains(DefaultChecklists.Get("annual-full", 2).Sections!.SelectMany(section => section.Items), item => item.Id == "SUB-04" && item.Source.Reference == "個人情報保護法 第25条");
        Assert.Contains(DefaultChecklists.Get("due-diligence", 2).Sections!.SelectMany(section => section.Items), item => item.Id == "DD-33" && item.Source.Reference == "個人情報保護法 第25条");
    }

    [Fact]
    public void EveryCitationInTheSourceCodeIsInTheTable()
    {
        var root = Path.Combine(RepositoryRoot.Path, "src");
        var files = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".razor", StringComparison.Ordinal))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var problems = files.SelectMany(path => Problems(Path.GetRelativePath(root, path), File.ReadAllText(path), context: null)).ToList();

        Assert.NotEmpty(files);
        Assert.Empty(problems);
    }

    [Fact]
    public void AnOutdatedNumberIsCaughtByTheTableOrByItsSubject()
    {
        Assert.NotEmpty(Problems("item", "個人情報保護法 第22条", "再委託先に対し、必要かつ適切な監督を行っていますか。"));
        Assert.NotEmpty(Problems("code", "第22条（委託先の監督）", context: null));
        Assert.NotEmpty(Problems("code", "APPI Art. 99", context: null));
        Assert.Empty(Problems("item", "個人情報保護法 第25条", "再委託先に対し、必要かつ適切な監督を行っていますか。"));
    }

    /// <summary>
    /// What is wrong with the citations in <paramref name="text"/>: an article not in the table; a subject in brackets
    /// after it that is not the table's; or (given the text the citation belongs to) a context that shows another
    /// article's subject and none of the cited one's.
    /// </summary>
    private static IEnumerable<string> Problems(string where, string text, string? context)
    {
        foreach (Match match in Citation().Matches(text))
        {
            var number = LawArticles.CitedIn(match.Value).Single();
            if (!LawArticles.Appi.TryGetValue(number, out var article))
            {
                yield return $"{where}: 「{match.Value}」 is not in LawArticles.Appi.";
                continue;
            }

            if (match.Groups["subject"].Success && match.Groups["subject"].Value != article.Subject.Ja)
            {
                yield return $"{where}: 「{match.Value}」 is about {article.Subject.Ja}.";
            }

            if (context is not null && !Mentions(context, article))
            {
                foreach (var (other, candidate) in LawArticles.Appi.Where(pair => pair.Key != number && Mentions(context, pair.Value)))
                {
                    yield return $"{where}: cites 第{number}条 ({article.Subject.Ja}) but is about {candidate.Subject.Ja} (第{other}条).";
                }
            }
        }
    }

    private static bool Mentions(string context, LawArticle article) =>
        article.Signals.Any(signal => context.Contains(signal, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"(?:第\s*[0-9０-９]+\s*条|\bArt(?:icle|\.)\s*[0-9]+)(?:[（(](?<subject>[^）)]+)[）)])?")]
    private static partial Regex Citation();
}
