namespace FunctionsPortal.DemoData;

public sealed class DemoDataOptions
{
    public const string SectionName = "DemoData";

    /// <summary>Seed the demo vendors once. The README start command turns this on; it is never on in Azure.</summary>
    public bool Enabled { get; set; }
}
