namespace FunctionsPortal.Checklists;

/// <summary>
/// A checklist version exactly as defined (docs/checklist-format.md): either its own sections, or a selection from
/// a parent version (<see cref="DerivedFrom"/>). Immutable once a survey has used it.
/// </summary>
public sealed record ChecklistDefinition
{
    public string Id { get; init; } = "";

    public int Version { get; init; }

    public string Kind { get; init; } = "";

    public Localized Title { get; init; } = null!;

    public Localized Description { get; init; } = null!;

    public IReadOnlyList<ChecklistSection>? Sections { get; init; }

    public DerivedFrom? DerivedFrom { get; init; }
}

public sealed record Localized(string Ja, string En);

public sealed record DerivedFrom(string Id, int Version, IReadOnlyList<string>? Sections, IReadOnlyList<string>? Items);

public sealed record ChecklistSection(string Id, Localized Title, IReadOnlyList<ChecklistItem> Items);

public sealed record ChecklistItem
{
    public string Id { get; init; } = "";

    public Localized Text { get; init; } = null!;

    public Localized? Help { get; init; }

    public ItemSource Source { get; init; } = new([], null);

    public string AnswerType { get; init; } = "";

    public IReadOnlyList<Choice>? Choices { get; init; }

    public int Weight { get; init; }

    public bool Critical { get; init; }

    public bool Required { get; init; }

    public string Evidence { get; init; } = "";

    public bool NaAllowed { get; init; }

    public bool NaRequiresReason { get; init; }

    public IReadOnlyList<Condition>? Applicability { get; init; }

    public Finding? Finding { get; init; }

    /// <summary>
    /// Items that score: ○/△/× status, agreement and choices with a weight. Text, number, date and file items are facts;
    /// weight 0 marks a choice that only scopes the survey (SCP-*), so it is a fact too.
    /// </summary>
    public bool IsScored => Weight > 0 && AnswerType is AnswerTypes.Status or AnswerTypes.Agreement or AnswerTypes.SingleChoice or AnswerTypes.MultipleChoice;
}

public sealed record ItemSource(IReadOnlyList<string> Seeds, string? Reference);

public sealed record Choice(string Id, Localized Label, decimal Points);

public sealed record Finding(string Type, Localized Action);

/// <summary>One applicability condition: exactly one of its members is set.</summary>
public sealed record Condition
{
    public string? VendorFlag { get; init; }

    public IReadOnlyList<string>? DataCategoryAny { get; init; }

    public IReadOnlyList<string>? BusinessCategoryAny { get; init; }

    public AnswerCondition? Answer { get; init; }

    public Condition? Not { get; init; }

    /// <summary>At least one of these conditions holds (e.g. a registry flag, or a scoping answer saying the same).</summary>
    public IReadOnlyList<Condition>? AnyOf { get; init; }
}

public sealed record AnswerCondition(string Item, IReadOnlyList<string> AnyOf);

public static class AnswerTypes
{
    public const string Status = "status";
    public const string SingleChoice = "single-choice";
    public const string MultipleChoice = "multiple-choice";
    public const string Text = "text";
    public const string Number = "number";
    public const string Date = "date";
    public const string File = "file";

    /// <summary>「…に同意しますか」: agree / agree with conditions (stated in the answer's text) / disagree.</summary>
    public const string Agreement = "agreement";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Status, Agreement, SingleChoice, MultipleChoice, Text, Number, Date, File], StringComparer.Ordinal);
}

/// <summary>○ done (1 point), △ partly done or planned (½), × not done (0), 該当なし N/A (excluded). Wording follows seed 004.</summary>
public static class StatusAnswers
{
    public const string Done = "done";
    public const string Partial = "partial";
    public const string NotDone = "not-done";
    public const string NotApplicable = "na";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Done, Partial, NotDone, NotApplicable], StringComparer.Ordinal);

    /// <summary>The ○/△/× answers in the order they are offered, as vendors and staff read them.</summary>
    public static readonly IReadOnlyList<(string Value, Localized Label)> Labelled =
    [
        (Done, new("○ 対応済み", "○ Done")),
        (Partial, new("△ 一部対応・対応予定", "△ Partly done or planned")),
        (NotDone, new("× 未対応", "× Not done")),
    ];

    public static readonly Localized NotApplicableLabel = new("該当なし", "Not applicable");

    /// <summary>The words for a status or agreement answer value (the value itself when it is neither).</summary>
    public static Localized? LabelFor(string? value) =>
        value == NotApplicable ? NotApplicableLabel
        : value == AgreementAnswers.AgreeWithConditions ? AgreementAnswers.WithConditions
        : Labelled.Concat(AgreementAnswers.Labelled).Where(pair => pair.Value == value).Select(pair => pair.Label).FirstOrDefault();
}

/// <summary>
/// Answers to an agreement item, kept in <see cref="ItemAnswer.Status"/> with the conditions in <see cref="ItemAnswer.Text"/>.
/// Points: agree 1; with conditions ½, because the conditions still have to be negotiated before the contract and may
/// not be acceptable; disagree 0 (a finding).
/// </summary>
public static class AgreementAnswers
{
    public const string Agree = "agree";
    public const string AgreeWithConditions = "agree-with-conditions";
    public const string Disagree = "disagree";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Agree, AgreeWithConditions, Disagree], StringComparer.Ordinal);

    /// <summary>The answers in the order they are offered.</summary>
    public static readonly IReadOnlyList<(string Value, Localized Label)> Labelled =
    [
        (Agree, new("同意する", "Agree")),
        (AgreeWithConditions, new("条件付きで同意する（条件を記入）", "Agree with conditions (state them)")),
        (Disagree, new("同意しない", "Do not agree")),
    ];

    /// <summary>"With conditions" as a summary reads it, without the form's instruction to state them.</summary>
    public static readonly Localized WithConditions = new("条件付きで同意する", "Agree with conditions");
}

public static class ChecklistVocabulary
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(["annual", "interim", "due-diligence", "termination"], StringComparer.Ordinal);

    public static readonly IReadOnlySet<string> Evidence = new HashSet<string>(["required", "optional", "none"], StringComparer.Ordinal);

    public static readonly IReadOnlySet<string> FindingTypes = new HashSet<string>(["people", "process"], StringComparer.Ordinal);
}
