namespace FunctionsPortal.Tests.Fixtures;

/// <summary>The clone the tests run from, found by walking up to FunctionsPortal.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "FunctionsPortal.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"FunctionsPortal.sln was not found above {AppContext.BaseDirectory}.");
    }
}
