namespace FunctionsPortal.Jobs;

public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Folder holding host.json and the function folders; the build and publish output by default.</summary>
    public string AppRoot { get; set; } = AppContext.BaseDirectory;

    /// <summary>In standalone mode, run timers and queue functions in-process (off only for tests that drive them by hand).</summary>
    public bool RunInProcess { get; set; } = true;
}
