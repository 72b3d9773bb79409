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

    /// <summary>Items that score: ○/△/× status and choices. Text, number, date and file items are facts, not points.</summary>
    public bool IsScored => AnswerType is AnswerTypes.Status or AnswerTypes.SingleChoice or AnswerTypes.MultipleChoice;
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

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Status, SingleChoice, MultipleChoice, Text, Number, Date, File], StringComparer.Ordinal);
}

/// <summary>○ done (1 point), △ partly done or planned (½), × not done (0), 該当なし N/A (excluded).</summary>
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
        (Done, new("○ 実施している", "○ Done")),
        (Partial, new("△ 一部実施・実施予定", "△ Partly done or planned")),
        (NotDone, new("× 実施していない", "× Not done")),
    ];

    public static readonly Localized NotApplicableLabel = new("該当なし", "Not applicable");
}

public static class ChecklistVocabulary
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(["annual", "interim", "due-diligence", "termination"], StringComparer.Ordinal);

    public static readonly IReadOnlySet<string> Evidence = new HashSet<string>(["required", "optional", "none"], StringComparer.Ordinal);

    public static readonly IReadOnlySet<string> FindingTypes = new HashSet<string>(["people", "process"], StringComparer.Ordinal);
}
