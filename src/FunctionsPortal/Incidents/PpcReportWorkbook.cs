using System.Globalization;
using FunctionsPortal.Spreadsheets;

namespace FunctionsPortal.Incidents;

/// <summary>
/// A <see cref="PpcReportDraft"/> as an .xlsx staff copy from into the Commission's form: sheet 「報告書（下書き）」 lists
/// 項目 / 内容 in the form's order, sheet 「対応経過」 the timeline. Times are Japan time; every cell is an inline
/// string, so text that looks like a formula stays text (as in the other exports).
/// </summary>
public static class PpcReportWorkbook
{
    public const string ReportSheet = "報告書（下書き）";
    public const string TimelineSheet = "対応経過";
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public const string Ticked = "☑";
    public const string Unticked = "☐";

    private static readonly TimeSpan Japan = TimeSpan.FromHours(9);
    private static readonly string[] ReportHeader = ["項目", "内容"];
    private static readonly string[] TimelineHeader = ["日時", "実施者", "内容"];

    public static byte[] Write(PpcReportDraft draft, IReadOnlyList<IncidentTimeline.Entry> timeline)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(timeline);
        var report = new List<IReadOnlyList<string?>> { ReportHeader };
        report.AddRange(Items(draft).Select(item => new[] { item.Label, item.Value }));
        var steps = new List<IReadOnlyList<string?>> { TimelineHeader };
        steps.AddRange(timeline.Select(entry => new[] { Time(entry.At), entry.By, entry.Label }));
        return XlsxWorkbook.Write([(ReportSheet, report), (TimelineSheet, steps)]);
    }

    /// <summary>漏えい等報告_速報_下書き_{incident id}.xlsx (the id is ours: letters, digits and '-').</summary>
    public static string FileName(PpcReportDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return $"漏えい等報告_{Kind(draft)}_下書き_{draft.IncidentId}.xlsx";
    }

    /// <summary>The form's items in its order: the header (報告の種類, 報告者, 期限), then 規則8条1項 1〜9.</summary>
    public static IReadOnlyList<(string Label, string Value)> Items(PpcReportDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var reporter = draft.Reporter;
        return
        [
            ("報告の種類", Kind(draft)),
            ("速報の報告日時", draft.PreliminaryReportedAt is { } filed ? Time(filed) : "未提出"),
            ("当社管理番号", draft.IncidentId),
            ("報告者：事業者の名称", Text(reporter.Name)),
            ("報告者：法人番号", Text(reporter.CorporateNumber)),
            ("報告者：住所", Text(reporter.Address)),
            ("報告者：代表者の役職・氏名", Text(reporter.Representative)),
            ("報告者：担当者の所属・氏名", Text(reporter.ContactPerson)),
            ("報告者：担当者の電話番号", Text(reporter.ContactPhone)),
            ("報告者：担当者のメールアドレス", Text(reporter.ContactEmail)),
            ("報告期限：速報（目安：概ね3〜5日以内）", $"{Time(draft.PreliminaryDueFrom)} 〜 {Time(draft.PreliminaryDueBy)}"),
            ("報告期限：確報", Time(draft.FinalDueBy)),
            ("報告対象事態の判定", draft.Reportable
                ? "報告対象（規則7条各号のいずれかに該当、おそれを含む）"
                : "規則7条各号のいずれにも該当しない（報告義務なし。任意に報告する場合の下書き）"),
            ("1. 概要：発生日時", draft.OccurredAt is { } occurred ? Time(occurred) : PpcReportDraft.ToFill),
            ("1. 概要：発覚日時（委託先）", Time(draft.DiscoveredAt)),
            ("1. 概要：当社が知った日時", Time(draft.AwareAt)),
            ("1. 概要：委託先からの通知日時（法26条1項ただし書）", draft.PrincipalNotifiedAt is { } notified ? Time(notified) : PpcReportDraft.ToFill),
            ("1. 概要：該当する事態　規則7条1号 要配慮個人情報が含まれる個人データの漏えい等", Box(draft.SensitiveData)),
            ("1. 概要：該当する事態　規則7条2号 不正に利用されることにより財産的被害が生じるおそれがある個人データの漏えい等", Box(draft.FinancialHarm)),
            ("1. 概要：該当する事態　規則7条3号 不正の目的をもって行われたおそれがある個人データの漏えい等", Box(draft.UnlawfulPurpose)),
            ("1. 概要：該当する事態　規則7条4号 個人データに係る本人の数が1,000人を超える漏えい等", Box(draft.OverThousandPeople)),
            ("1. 概要：委託元及び委託先の有無", "あり（当社が委託元。事態は委託先で発生）"),
            ("1. 概要：委託先の名称", draft.ContractorName),
            ("1. 概要：委託先の法人番号", Text(draft.ContractorCorporateNumber)),
            ("1. 概要：事案の概要", Text(draft.Summary)),
            ("2. 漏えい等が発生し、又は発生したおそれがある個人データの項目", draft.DataItems.Count == 0 ? PpcReportDraft.ToFill : string.Join("、", draft.DataItems)),
            ("3. 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数", draft.AffectedPeople is { } people
                ? string.Create(CultureInfo.InvariantCulture, $"約{people:N0}人")
                : PpcReportDraft.ToFill),
            ("4. 原因", Text(draft.Cause)),
            ("5. 二次被害又はそのおそれの有無及びその内容", Text(draft.SecondaryHarm)),
            ("6. 本人への対応の実施状況", Text(draft.ResponseToIndividuals)),
            ("7. 公表の実施状況", Text(draft.PublicAnnouncement)),
            ("8. 再発防止のための措置（講じた措置）", Text(draft.MeasuresTaken)),
            ("8. 再発防止のための措置（今後予定する措置）", Text(draft.MeasuresPlanned)),
            ("9. その他参考となる事項", Text(draft.OtherNotes)),
        ];
    }

    /// <summary>yyyy/MM/dd HH:mm in Japan time, whatever offset the value carries.</summary>
    public static string Time(DateTimeOffset at) => at.ToOffset(Japan).ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture);

    private static string Kind(PpcReportDraft draft) => draft.Final ? "確報" : "速報";

    private static string Box(bool ticked) => ticked ? Ticked : Unticked;

    private static string Text(string? value) => string.IsNullOrWhiteSpace(value) ? PpcReportDraft.ToFill : value;
}
