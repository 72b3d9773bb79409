using FunctionsPortal.Evidence;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.Contracts;

/// <summary>
/// One signed contract document of a vendor: its kind, dates, the clauses staff found in it, and the signed file (in the
/// evidence container, checked like every upload). Recorded once; a new version of a contract is a new document.
/// </summary>
public sealed record ContractDocument(
    string Id,
    string VendorId,
    string Kind,
    DateOnly SignedOn,
    DateOnly StartOn,
    DateOnly? EndOn,
    ContractClauses Clauses,
    EvidenceFile File,
    string RecordedBy,
    DateTimeOffset RecordedAt)
{
    /// <summary>The clauses the document lacks, by name (for API readers; derived, never read back).</summary>
    public IReadOnlyList<string> MissingClauses => Clauses.Missing.Select(clause => clause.Name).ToList();
}

/// <summary>What staff enter for a document (the form and the API's multipart fields have these names).</summary>
public sealed record ContractInput
{
    [FromForm]
    public string? Kind { get; init; }

    [FromForm]
    public DateOnly? SignedOn { get; init; }

    [FromForm]
    public DateOnly? StartOn { get; init; }

    [FromForm]
    public DateOnly? EndOn { get; init; }

    [FromForm]
    public bool? SecurityMeasures { get; init; }

    [FromForm]
    public bool? Confidentiality { get; init; }

    [FromForm]
    public bool? Subcontracting { get; init; }

    [FromForm]
    public bool? Reporting { get; init; }

    [FromForm]
    public bool? Audit { get; init; }

    [FromForm]
    public bool? ReturnAndDeletion { get; init; }

    public ContractClauses Clauses => new(SecurityMeasures == true, Confidentiality == true, Subcontracting == true, Reporting == true, Audit == true, ReturnAndDeletion == true);

    /// <summary>Every bad field, by name (empty when the input can be recorded).</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (Kind is null || !ContractKinds.All.Contains(Kind))
        {
            errors["kind"] = ["Choose contract or memorandum / 業務委託契約か覚書かを選んでください。"];
        }

        if (SignedOn is null)
        {
            errors["signedOn"] = ["Enter the date it was signed / 締結日を入力してください。"];
        }

        if (StartOn is null)
        {
            errors["startOn"] = ["Enter the date it takes effect / 開始日を入力してください。"];
        }

        if (StartOn is { } start && EndOn is { } end && end < start)
        {
            errors["endOn"] = ["The end date is before the start date / 終了日が開始日より前です。"];
        }

        return errors;
    }
}
