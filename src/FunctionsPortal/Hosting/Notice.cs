namespace FunctionsPortal.Hosting;

/// <summary>A message for a person in both languages, optionally about one item or field (linked from the error summary).</summary>
public sealed record Notice(string Kind, string? ItemId, string Ja, string En)
{
    public static Notice Error(string? itemId, string ja, string en) => new(NoticeKinds.Error, itemId, ja, en);

    public static Notice Info(string ja, string en) => new(NoticeKinds.Info, null, ja, en);

    public bool IsError => Kind == NoticeKinds.Error;
}

public static class NoticeKinds
{
    public const string Error = "error";
    public const string Info = "info";
}
