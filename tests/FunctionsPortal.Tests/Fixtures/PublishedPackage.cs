using System.Diagnostics;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>The app published once per test class exactly as azd does it: <c>dotnet publish -c Release -o DIR</c>.</summary>
public sealed class PublishedPackage : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "fp-publish-" + Guid.NewGuid().ToString("N"));

    public async ValueTask InitializeAsync()
    {
        var publish = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "publish", Path.Combine("src", "FunctionsPortal", "FunctionsPortal.csproj"), "-c", "Release", "-o", Directory, "--nologo" })
        {
            publish.ArgumentList.Add(argument);
        }

        using var process = Process.Start(publish)!;
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(CancellationToken.None);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed:\n{await output}{await errors}");
        }
    }

    public ValueTask DisposeAsync()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
