using System.Globalization;
using FunctionsPortal.Checklists;
using FunctionsPortal.Evidence;
using FunctionsPortal.Responses;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Submissions;

/// <summary>
/// What a sealed submission states, exactly: the answers, the evidence files by hash, the checklist version, the
/// assignment, the attestation and the timestamps. Amounts are strings so the canonical bytes never depend on how a
/// number is formatted. Anything not here is not part of what the vendor attested.
/// </summary>
public sealed record SealedPayload
{
    public const string CurrentFormat = "functions-portal/submission/v1";

    public string Format { get; init; } = CurrentFormat;

    public required SealedAssignment Assignment { get; init; }

    public required SealedChecklist Checklist { get; init; }

    /// <summary>1 for the first submission, 2 for the first resubmission after changes were requested, …</summary>
    public required int Version { get; init; }

    /// <summary>The draft revision the vendor reviewed: two submits of the same revision are one submission.</summary>
    public required int DraftRevision { get; init; }

    public required IReadOnlyDictionary<string, SealedAnswer> Answers { get; init; }

    public required IReadOnlyList<SealedEvidence> Evidence { get; init; }

    public IReadOnlyList<SealedSubcontractor>? Subcontractors { get; init; }

    public SealedDeclaration? Declaration { get; init; }

    public required SealedAttestation Attestation { get; init; }

    public required SealedTimestamps Timestamps { get; init; }

    /// <summary>The hash of the version this one replaces, so the history is a chain.</summary>
    public string? PreviousSha256 { get; init; }
}

public sealed record SealedAssignment(string Key, string Cycle, string VendorId, string Kind, string? CampaignId, string VendorNameJa, string? CorporateNumber);

public sealed record SealedChecklist(string Id, int Version);

public sealed record SealedAnswer(
    string? Status, IReadOnlyList<string>? Choices, string? Text, string? Number, string? Date, string? NaReason, string? Comment, bool? CarriedForward,
    string? PlannedOn = null, string? Measure = null, string? Reason = null, bool? AcceptRisk = null)
{
    /// <summary>A draft answer as sealed: blanks left out, amounts and dates as invariant strings.</summary>
    public static SealedAnswer From(ItemAnswer answer, bool carriedForward)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new(
            answer.Status,
            answer.Choices is { Count: > 0 } choices ? choices : null,
            string.IsNullOrWhiteSpace(answer.Text) ? null : answer.Text,
            answer.Number?.ToString(CultureInfo.InvariantCulture),
            answer.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            string.IsNullOrWhiteSpace(answer.NaReason) ? null : answer.NaReason,
            string.IsNullOrWhiteSpace(answer.Comment) ? null : answer.Comment,
            carriedForward ? true : null,
            answer.PlannedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            string.IsNullOrWhiteSpace(answer.Measure) ? null : answer.Measure,
            string.IsNullOrWhiteSpace(answer.Reason) ? null : answer.Reason,
            answer.AcceptRisk == true ? true : null);
    }

    /// <summary>The answer in words (○/△/×, agreement with its conditions, N/A with its reason, the choices, or the value), in the reader's language.</summary>
    public string Describe(ChecklistItem item, Func<Localized, string> text)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(text);
        if (Status == StatusAnswers.NotApplicable)
        {
            return text(StatusAnswers.NotApplicableLabel) + (NaReason is { } reason ? $" ({reason})" : "");
        }

        if (Status is { } status)
        {
            // An agreement with conditions reads with its conditions: they are what the reviewer has to weigh.
            return status == AgreementAnswers.AgreeWithConditions && Text is { } conditions
                ? text(new($"{AgreementAnswers.WithConditions.Ja}（条件：{conditions}）", $"{AgreementAnswers.WithConditions.En} (conditions: {conditions})"))
                : StatusAnswers.LabelFor(status) is { } words ? text(words) : status;
        }

        if (Choices is { Count: > 0 } chosen)
        {
            return string.Join(", ", (item.Choices ?? []).Where(choice => chosen.Contains(choice.Id)).Select(choice => text(choice.Label)));
        }

        return Text ?? Number ?? Date ?? "";
    }

    /// <summary>The sealed answer as the checklist reads answers (scoring, carry-forward into a new draft).</summary>
    public ItemAnswer ToItemAnswer() => new()
    {
        Status = Status,
        Choices = Choices,
        Text = Text,
        Number = Number is null ? null : decimal.Parse(Number, CultureInfo.InvariantCulture),
        Date = Date is null ? null : DateOnly.ParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        NaReason = NaReason,
        Comment = Comment,
        PlannedOn = PlannedOn is null ? null : DateOnly.ParseExact(PlannedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        Measure = Measure,
        Reason = Reason,
        AcceptRisk = AcceptRisk,
    };
}

public sealed record SealedEvidence(string Id, string ItemId, string FileName, string ContentType, long Size, string Sha256, string BlobName)
{
    /// <summary>What a seal states of a stored file (not when it was uploaded: that is not attested).</summary>
    public static SealedEvidence From(EvidenceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new(file.Id, file.ItemId, file.FileName, file.ContentType, file.Size, file.Sha256, file.BlobName);
    }
}

public sealed record SealedSubcontractor(string Name, string? CorporateNumber, string Country, string Scope, bool HandlesPersonalData, string ContactEmail)
{
    /// <summary>A registered subcontractor as the parent's submission states it.</summary>
    public static SealedSubcontractor From(VendorRecord subcontractor)
    {
        ArgumentNullException.ThrowIfNull(subcontractor);
        var vendor = subcontractor.Vendor;
        return new(vendor.LegalName.Ja, vendor.CorporateNumber, vendor.Countries.Company, vendor.Scope ?? "", !vendor.DataCategories.SequenceEqual(["none"]), vendor.ResponsibleOfficer.Email);
    }
}

/// <summary>A subcontractor's handling method (取扱方法の書面), in short structured form beside its document.</summary>
public sealed record SealedDeclaration(
    string DataHandled, string Purposes, string StoragePlace, string StorageCountry, string SecurityMeasures, string FurtherSubcontracting)
{
    public static SealedDeclaration From(HandlingMethodDeclaration declaration)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        return new(declaration.DataHandled, declaration.Purposes, declaration.StoragePlace, declaration.StorageCountry, declaration.SecurityMeasures, declaration.FurtherSubcontracting);
    }
}

public sealed record SealedAttestation(string Name, string Title, string Email, string StatementJa, string StatementEn, string AttestedAt);

public sealed record SealedTimestamps(string? InvitedAt, string? OpenedAt, string SubmittedAt);

/// <summary>The stored record: the payload plus its SHA-256 and the Key Vault-keyed signature over the same bytes.</summary>
public sealed record SealedEnvelope(SealedPayload Payload, string Sha256, SealSignature Signature);

public sealed record SealSignature(string Algorithm, string KeyVersion, string Value);
