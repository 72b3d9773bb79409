using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Deployment;

/// <summary>Every .bicep in infra/ compiles and lints without a single diagnostic.</summary>
public sealed class BicepTests
{
    public static TheoryData<string> BicepFiles()
    {
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "infra"), "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetRelativePath(RepositoryRoot.Path, file));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task CompilesWithoutWarnings(string file)
    {
        var (exitCode, output, diagnostics) = await BicepCli.RunAsync(TestContext.Current.CancellationToken, "build", file, "--stdout");

        Assert.True(exitCode == 0, diagnostics);
        Assert.True(string.IsNullOrWhiteSpace(diagnostics), diagnostics);
        Assert.StartsWith("{", output.TrimStart(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task LintsClean(string file)
    {
        var (exitCode, _, diagnostics) = await BicepCli.RunAsync(TestContext.Current.CancellationToken, "lint", file);

        Assert.True(exitCode == 0, diagnostics);
        Assert.True(string.IsNullOrWhiteSpace(diagnostics), diagnostics);
    }

    [Fact]
    public void InfraUsesNoRegistryModulesOrExtensionsThatCannotBeRestoredOffline()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "infra"), "*.bicep", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("br/public:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("br:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\nextension ", text, StringComparison.Ordinal);
        }
    }
}
