namespace FunctionsPortal.Evidence;

/// <summary>The machine-readable reasons an upload is refused, stable so a web page or API client can branch on them.</summary>
public static class EvidenceRefusalReasons
{
    /// <summary>The content is not a type we accept (or a container we accept used for something else, e.g. a plain ZIP).</summary>
    public const string Unsupported = "unsupported";

    /// <summary>The content is a type we accept, but the file's extension claims a different one.</summary>
    public const string Mismatch = "mismatch";

    /// <summary>The file is password-protected (encrypted), so its content cannot be checked.</summary>
    public const string Encrypted = "encrypted";

    public const string Empty = "empty";

    public const string TooLargeFile = "too-large-file";

    public const string TooLargeTotal = "too-large-total";
}
