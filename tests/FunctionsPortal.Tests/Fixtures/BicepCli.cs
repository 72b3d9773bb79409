using System.Diagnostics;
using System.Reflection;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>The Bicep CLI restored from the package feed (Azure.Bicep.CommandLine.linux-x64).</summary>
public static class BicepCli
{
    public static string Path { get; } = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "BicepCli").Value!;

    public static async Task<(int ExitCode, string Output, string Diagnostics)> RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"The Bicep CLI is missing at {Path}; the test project's restore brings it (package Azure.Bicep.CommandLine.linux-x64).");
        }

        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(Path).HasFlag(UnixFileMode.UserExecute))
        {
            // NuGet does not always keep the execute bit of a package's files.
            File.SetUnixFileMode(Path, File.GetUnixFileMode(Path) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(Path)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Offline: no version check or telemetry round-trips.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var diagnostics = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await diagnostics);
    }
}
