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

    /// <summary>The ○/△/× ledger (seed 004): when a △ or × is planned to be done (対応予定日).</summary>
    public DateOnly? PlannedOn { get; init; }

    /// <summary>The ledger: what will be done by <see cref="PlannedOn"/> (the measure).</summary>
    public string? Measure { get; init; }

    /// <summary>The ledger: why a × is not done.</summary>
    public string? Reason { get; init; }

    /// <summary>The ledger: the vendor asks us to accept the residual risk of a × instead of planning a fix.</summary>
    public bool? AcceptRisk { get; init; }

    public bool IsNotApplicable => Status == StatusAnswers.NotApplicable;

    /// <summary>The values an answer condition compares with: the status, or the chosen choice ids.</summary>
    public IEnumerable<string> Values() =>
        Status is not null ? [Status] : Choices ?? (IEnumerable<string>)[];
}
