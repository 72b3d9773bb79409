namespace FunctionsPortal.Checklists;

/// <summary>
/// A vendor's answer to one item: a status (○ done / △ partial / × not-done / na), chosen choice ids, or a fact
/// (text, number, date, file references). <see cref="NaReason"/> explains a 該当なし answer.
/// </summary>
public sealed record ItemAnswer
{
    public string? Status { get; init; }

    public IReadOnlyList<string>? Choices { get; init; }

    public string? Text { get; init; }

    public decimal? Number { get; init; }

    public DateOnly? Date { get; init; }

    public IReadOnlyList<string>? Files { get; init; }

    public string? NaReason { get; init; }

    public string? Comment { get; init; }

    public bool IsNotApplicable => Status == StatusAnswers.NotApplicable;

    /// <summary>The values an answer condition compares with: the status, or the chosen choice ids.</summary>
    public IEnumerable<string> Values() =>
        Status is not null ? [Status] : Choices ?? (IEnumerable<string>)[];
}
