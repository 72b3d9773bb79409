namespace FunctionsPortal.VendorPages.Shell;

/// <summary>The names the vendor pages' forms and their handlers agree on (answer fields are <c>AnswerForm.Field</c>).</summary>
public static class FormFields
{
    /// <summary>Which button was pressed: one of <see cref="FormActions"/>.</summary>
    public const string Action = "action";

    /// <summary>A file's id, from its "remove" button.</summary>
    public const string Remove = "remove";

    /// <summary>The draft revision the page showed (submitting seals exactly that revision).</summary>
    public const string Revision = "revision";

    /// <summary>Sent by the page script on a pause in typing: the answer is JSON, not a redirect.</summary>
    public const string AutosaveHeader = "X-Autosave";

    public static bool IsAutosave(HttpContext context) => context.Request.Headers.ContainsKey(AutosaveHeader);
}

public static class FormActions
{
    public const string Save = "save";
    public const string Next = "next";
    public const string Previous = "prev";
    public const string Review = "review";
    public const string CarryAll = "carry-all";
    public const string Submit = "submit";
}

/// <summary>What an autosave answers: the revision now saved, and which items could not be read.</summary>
public sealed record AutosaveResult(int Revision, DateTimeOffset? SavedAt, IReadOnlyList<string> ProblemItems);
