namespace FunctionsPortal.Jobs;

public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Folder holding host.json and the function folders; the build and publish output by default.</summary>
    public string AppRoot { get; set; } = AppContext.BaseDirectory;

    /// <summary>In standalone mode, run timers and queue functions in-process (off only for tests that drive them by hand).</summary>
    public bool RunInProcess { get; set; } = true;

    /// <summary>
    /// Standalone mode: how long a queue message stays invisible while its job runs. The poller renews it at half-time
    /// for as long as the job still runs (as the Functions host does), so a slow batch never lets it reappear to
    /// another worker; a crashed worker's message comes back after at most this long.
    /// </summary>
    public TimeSpan QueueMessageLease { get; set; } = TimeSpan.FromMinutes(2);
}
