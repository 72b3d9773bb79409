namespace FunctionsPortal.Storage;

/// <summary>A write that Azure Storage would reject (Azurite accepts some of them, so we check first).</summary>
public sealed class StorageLimitException(string message) : InvalidOperationException(message);
