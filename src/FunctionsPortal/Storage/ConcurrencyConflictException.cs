namespace FunctionsPortal.Storage;

/// <summary>Someone else changed the entity since it was read (HTTP 412 on an ETag-guarded write).</summary>
public sealed class ConcurrencyConflictException(string message, Exception? innerException = null)
    : Exception(message, innerException);
