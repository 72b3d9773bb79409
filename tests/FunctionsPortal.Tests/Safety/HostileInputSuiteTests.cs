using System.Globalization;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Safety;

/// <summary>
/// The hostile-input suite (issue 13): every case must answer without a 5xx, without leaking a stack trace, a path, a
/// secret or another vendor's data, with the security headers, and without a bypass. Each category prints its tally.
/// </summary>
public sealed class HostileInputSuiteTests(AzuriteFixture azurite)
{
    public static TheoryData<string> Categories => [.. HostileCases.ByCategory.Keys];

    [Fact]
    public void TheSuiteHasAtLeast150CasesAcrossEveryCategory()
    {
        var counts = HostileCases.ByCategory.ToDictionary(category => category.Key, category => category.Value.Count);
        TestContext.Current.TestOutputHelper?.WriteLine($"hostile inputs: {counts.Values.Sum()} cases ({string.Join(", ", counts.Select(count => $"{count.Key} {count.Value}"))})");

        Assert.True(counts.Values.Sum() >= 150, $"only {counts.Values.Sum()} cases");
        Assert.All(counts, count => Assert.True(count.Value >= 5, $"{count.Key} has only {count.Value} cases"));
        Assert.Equal(HostileCases.ByCategory.Values.Sum(cases => cases.Count), HostileCases.ByCategory.Values.SelectMany(cases => cases).Select(hostile => hostile.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public async Task EveryCaseIsAnsweredSafely(string category)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var world = await HostileWorld.CreateAsync(azurite, cancellationToken);
        var outcomes = new List<HostileOutcome>();
        foreach (var hostile in HostileCases.ByCategory[category])
        {
            outcomes.Add(await HostileChecks.RunAsync(world, hostile, cancellationToken));
        }

        var tally = string.Create(CultureInfo.InvariantCulture,
            $"hostile inputs, {category}: {outcomes.Count} cases, {outcomes.Count(o => o.ServerError)} 5xx, {outcomes.Count(o => o.Leak)} leaks, {outcomes.Count(o => o.Bypass)} bypasses, {outcomes.Count(o => o.Headers)} header problems");
        TestContext.Current.TestOutputHelper?.WriteLine(tally);
        Console.WriteLine(tally);
        var failures = outcomes.Where(outcome => outcome.Problems.Count > 0).Select(outcome => $"{outcome.Name} ({(int)outcome.Status}): {string.Join("; ", outcome.Problems)}").ToList();
        Assert.True(failures.Count == 0, $"{tally}\n{string.Join('\n', failures)}");
    }
}
