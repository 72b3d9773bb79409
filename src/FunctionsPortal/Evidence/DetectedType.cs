namespace FunctionsPortal.Evidence;

/// <summary>What a file really is, decided from its bytes: the type we store and serve it as, never the one the client claimed.</summary>
/// <param name="ContentType">MIME type to store and serve (text types carry their charset).</param>
/// <param name="Extension">The canonical extension with its dot, e.g. <c>.xlsx</c>.</param>
/// <param name="Label">A short human name for messages and lists, e.g. <c>Excel (.xlsx)</c>.</param>
public sealed record DetectedType(string ContentType, string Extension, string Label);
