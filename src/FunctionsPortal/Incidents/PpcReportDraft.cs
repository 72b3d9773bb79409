using System.ComponentModel.DataAnnotations;

namespace FunctionsPortal.Incidents;

/// <summary>
/// A draft of the Personal Information Protection Commission's 漏えい等報告 (規則8条1項), prefilled from an incident
/// that happened at one of our contractors (委託先). Null means the record cannot know it: the export shows
/// <see cref="ToFill"/> there, so staff see what they still have to write before filing.
/// </summary>
public sealed record PpcReportDraft
{
    /// <summary>What a field the record cannot know shows.</summary>
    public const string ToFill = "要記入";

    /// <summary>The incident this draft is for (our reference number).</summary>
    public required string IncidentId { get; init; }

    /// <summary>速報 until the preliminary report has been filed, 確報 after.</summary>
    public required bool Final { get; init; }

    /// <summary>When the preliminary report was filed (a final report refers to it).</summary>
    public DateTimeOffset? PreliminaryReportedAt { get; init; }

    public required ReporterDetails Reporter { get; init; }

    /// <summary>発覚日時: when the contractor discovered it.</summary>
    public required DateTimeOffset DiscoveredAt { get; init; }

    /// <summary>発生日時, when known.</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>When we became aware (知った時点): the deadlines count from here.</summary>
    public required DateTimeOffset AwareAt { get; init; }

    /// <summary>When the contractor notified us (法26条1項ただし書), for a report through its link.</summary>
    public DateTimeOffset? PrincipalNotifiedAt { get; init; }

    /// <summary>規則7条1号: 要配慮個人情報 (or may be).</summary>
    public required bool SensitiveData { get; init; }

    /// <summary>規則7条2号: 不正利用による財産的被害のおそれ.</summary>
    public required bool FinancialHarm { get; init; }

    /// <summary>規則7条3号: 不正の目的をもって行われたおそれ.</summary>
    public required bool UnlawfulPurpose { get; init; }

    /// <summary>規則7条4号: 本人の数が1,000人を超える (or may).</summary>
    public required bool OverThousandPeople { get; init; }

    public bool Reportable => SensitiveData || FinancialHarm || UnlawfulPurpose || OverThousandPeople;

    /// <summary>The contractor where it happened (we are the principal, 委託元).</summary>
    public required string ContractorName { get; init; }

    public string? ContractorCorporateNumber { get; init; }

    /// <summary>1. 概要.</summary>
    public required string Summary { get; init; }

    /// <summary>2. 個人データの項目: data-category labels, in the order given.</summary>
    public required IReadOnlyList<string> DataItems { get; init; }

    /// <summary>3. 本人の数 (approximate), when known.</summary>
    public long? AffectedPeople { get; init; }

    /// <summary>4. 原因.</summary>
    public string? Cause { get; init; }

    /// <summary>5. 二次被害又はそのおそれの有無及びその内容 (the record does not hold it).</summary>
    public string? SecondaryHarm { get; init; }

    /// <summary>6. 本人への対応の実施状況 (the record does not hold it).</summary>
    public string? ResponseToIndividuals { get; init; }

    /// <summary>7. 公表の実施状況 (the record does not hold it).</summary>
    public string? PublicAnnouncement { get; init; }

    /// <summary>8. 再発防止のための措置: what the contractor reported as done.</summary>
    public string? MeasuresTaken { get; init; }

    /// <summary>8. 再発防止のための措置: what is still planned (the record does not hold it).</summary>
    public string? MeasuresPlanned { get; init; }

    /// <summary>9. その他参考となる事項 (e.g. reports to other authorities or the police; the record does not hold it).</summary>
    public string? OtherNotes { get; init; }

    /// <summary>速報 目安: the earliest and latest end of the "promptly" window (概ね3〜5日以内).</summary>
    public required DateTimeOffset PreliminaryDueFrom { get; init; }

    public required DateTimeOffset PreliminaryDueBy { get; init; }

    /// <summary>確報 期限 (30 or 60 days, moved past closed days).</summary>
    public required DateTimeOffset FinalDueBy { get; init; }

    /// <summary>
    /// The draft from plain values, so an incident maps onto it in a few lines. Our company's details come from
    /// configuration; blank text counts as unknown. The report is 確報 once <paramref name="preliminaryReportedAt"/> is set.
    /// </summary>
    public static PpcReportDraft Prefill(
        ReporterDetails reporter,
        string incidentId,
        string vendorName,
        string? vendorCorporateNumber,
        string summary,
        DateTimeOffset discoveredAt,
        DateTimeOffset? occurredAt,
        DateTimeOffset awareAt,
        IReadOnlyList<string> dataCategoryLabels,
        long? affectedPeople,
        bool sensitiveData,
        bool financialHarm,
        bool unlawfulPurpose,
        bool overThousandPeople,
        string? cause,
        string? measuresTaken,
        DateTimeOffset preliminaryDueFrom,
        DateTimeOffset preliminaryDueBy,
        DateTimeOffset finalDueBy,
        DateTimeOffset? principalNotifiedAt = null,
        DateTimeOffset? preliminaryReportedAt = null)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        ArgumentException.ThrowIfNullOrWhiteSpace(incidentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(vendorName);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(dataCategoryLabels);
        return new PpcReportDraft
        {
            IncidentId = incidentId,
            Final = preliminaryReportedAt is not null,
            PreliminaryReportedAt = preliminaryReportedAt,
            Reporter = reporter,
            DiscoveredAt = discoveredAt,
            OccurredAt = occurredAt,
            AwareAt = awareAt,
            PrincipalNotifiedAt = principalNotifiedAt,
            SensitiveData = sensitiveData,
            FinancialHarm = financialHarm,
            UnlawfulPurpose = unlawfulPurpose,
            OverThousandPeople = overThousandPeople,
            ContractorName = vendorName.Trim(),
            ContractorCorporateNumber = Known(vendorCorporateNumber),
            Summary = summary.Trim(),
            DataItems = [.. dataCategoryLabels.Select(Known).OfType<string>()],
            AffectedPeople = affectedPeople,
            Cause = Known(cause),
            MeasuresTaken = Known(measuresTaken),
            PreliminaryDueFrom = preliminaryDueFrom,
            PreliminaryDueBy = preliminaryDueBy,
            FinalDueBy = finalDueBy,
        };
    }

    private static string? Known(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>
    /// 報告者: our company as the form asks for it. Bindable from configuration; a blank value shows as
    /// <see cref="ToFill"/> rather than failing the export.
    /// </summary>
    public sealed class ReporterDetails
    {
        /// <summary>事業者の名称.</summary>
        [Required]
        public string Name { get; set; } = "";

        /// <summary>法人番号 (13 digits).</summary>
        [RegularExpression("^[0-9]{13}$")]
        public string? CorporateNumber { get; set; }

        /// <summary>郵便番号・住所.</summary>
        public string? Address { get; set; }

        /// <summary>代表者の役職・氏名.</summary>
        public string? Representative { get; set; }

        /// <summary>担当者の所属・氏名.</summary>
        public string? ContactPerson { get; set; }

        public string? ContactPhone { get; set; }

        public string? ContactEmail { get; set; }
    }
}
