using System.IO.Compression;
using System.Xml.Linq;
using FunctionsPortal.Incidents;

namespace FunctionsPortal.Tests.Incidents;

/// <summary>The PPC report draft read back from the .xlsx bytes themselves (zip and sheet XML), as Excel would open it.</summary>
public sealed class PpcReportWorkbookTests
{
    private static readonly TimeSpan Japan = TimeSpan.FromHours(9);
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    private static PpcReportDraft.ReporterDetails OurCompany() => new()
    {
        Name = "株式会社サンプル商事",
        CorporateNumber = "1234567890123",
        Address = "〒100-0005 東京都千代田区丸の内1-1-1",
        Representative = "代表取締役 山田太郎",
        ContactPerson = "法務部 佐藤花子",
        ContactPhone = "03-1234-5678",
        ContactEmail = "privacy@our-company.example.jp",
    };

    /// <summary>A vendor-link report known in full; the times sit just past midnight Japan time, still the previous day in UTC.</summary>
    private static PpcReportDraft Draft(
        PpcReportDraft.ReporterDetails? reporter = null,
        string summary = "委託先の配送管理サーバーが不正アクセスを受け、顧客情報が閲覧された可能性がある。",
        string vendorName = "株式会社ロジスティクス東日本",
        string? corporateNumber = "9876543210987",
        DateTimeOffset? occurredAt = null,
        bool knowOccurrence = true,
        IReadOnlyList<string>? dataItems = null,
        long? people = 1200,
        bool sensitive = false,
        bool financial = true,
        bool unlawful = true,
        bool overThousand = true,
        string? cause = "VPN機器の脆弱性（未適用の修正プログラム）",
        string? measures = "該当サーバーをネットワークから隔離し、全利用者のパスワードを変更した。",
        DateTimeOffset? principalNotifiedAt = null,
        bool vendorLink = true,
        DateTimeOffset? preliminaryReportedAt = null) =>
        PpcReportDraft.Prefill(
            reporter ?? OurCompany(),
            incidentId: "inc-20260401-0a1b2c",
            vendorName: vendorName,
            vendorCorporateNumber: corporateNumber,
            summary: summary,
            discoveredAt: new DateTimeOffset(2026, 3, 31, 15, 30, 0, TimeSpan.Zero),
            occurredAt: knowOccurrence ? occurredAt ?? new DateTimeOffset(2026, 3, 29, 23, 5, 0, TimeSpan.Zero) : null,
            awareAt: new DateTimeOffset(2026, 3, 31, 16, 45, 0, TimeSpan.Zero),
            dataCategoryLabels: dataItems ?? ["氏名", "住所", "電話番号", "クレジットカード番号"],
            affectedPeople: people,
            sensitiveData: sensitive,
            financialHarm: financial,
            unlawfulPurpose: unlawful,
            overThousandPeople: overThousand,
            cause: cause,
            measuresTaken: measures,
            preliminaryDueFrom: new DateTimeOffset(2026, 4, 3, 23, 59, 59, 999, Japan),
            preliminaryDueBy: new DateTimeOffset(2026, 4, 5, 23, 59, 59, 999, Japan),
            finalDueBy: new DateTimeOffset(2026, 5, 31, 23, 59, 59, 999, Japan),
            principalNotifiedAt: vendorLink ? principalNotifiedAt ?? new DateTimeOffset(2026, 3, 31, 16, 45, 0, TimeSpan.Zero) : null,
            preliminaryReportedAt: preliminaryReportedAt);

    private static IncidentTimeline.Entry Step(long sequence, DateTimeOffset at, string by, string action) =>
        new(sequence, at, by, action, IncidentTimeline.Label(action));

    [Fact]
    public void EveryFormItemIsLabelledInTheFormsOrderWithItsValueInJapanTime()
    {
        var sheets = Read(PpcReportWorkbook.Write(Draft(), []));

        string[][] expected =
        [
            ["項目", "内容"],
            ["報告の種類", "速報"],
            ["速報の報告日時", "未提出"],
            ["当社管理番号", "inc-20260401-0a1b2c"],
            ["報告者：事業者の名称", "株式会社サンプル商事"],
            ["報告者：法人番号", "1234567890123"],
            ["報告者：住所", "〒100-0005 東京都千代田区丸の内1-1-1"],
            ["報告者：代表者の役職・氏名", "代表取締役 山田太郎"],
            ["報告者：担当者の所属・氏名", "法務部 佐藤花子"],
            ["報告者：担当者の電話番号", "03-1234-5678"],
            ["報告者：担当者のメールアドレス", "privacy@our-company.example.jp"],
            ["報告期限：速報（目安：概ね3〜5日以内）", "2026/04/03 23:59 〜 2026/04/05 23:59"],
            ["報告期限：確報", "2026/05/31 23:59"],
            ["報告対象事態の判定", "報告対象（規則7条各号のいずれかに該当、おそれを含む）"],
            ["1. 概要：発生日時", "2026/03/30 08:05"],
            ["1. 概要：発覚日時（委託先）", "2026/04/01 00:30"],
            ["1. 概要：当社が知った日時", "2026/04/01 01:45"],
            ["1. 概要：委託先からの通知日時（法26条1項ただし書）", "2026/04/01 01:45"],
            ["1. 概要：該当する事態　規則7条1号 要配慮個人情報が含まれる個人データの漏えい等", "☐"],
            ["1. 概要：該当する事態　規則7条2号 不正に利用されることにより財産的被害が生じるおそれがある個人データの漏えい等", "☑"],
            ["1. 概要：該当する事態　規則7条3号 不正の目的をもって行われたおそれがある個人データの漏えい等", "☑"],
            ["1. 概要：該当する事態　規則7条4号 個人データに係る本人の数が1,000人を超える漏えい等", "☑"],
            ["1. 概要：委託元及び委託先の有無", "あり（当社が委託元。事態は委託先で発生）"],
            ["1. 概要：委託先の名称", "株式会社ロジスティクス東日本"],
            ["1. 概要：委託先の法人番号", "9876543210987"],
            ["1. 概要：事案の概要", "委託先の配送管理サーバーが不正アクセスを受け、顧客情報が閲覧された可能性がある。"],
            ["2. 漏えい等が発生し、又は発生したおそれがある個人データの項目", "氏名、住所、電話番号、クレジットカード番号"],
            ["3. 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数", "約1,200人"],
            ["4. 原因", "VPN機器の脆弱性（未適用の修正プログラム）"],
            ["5. 二次被害又はそのおそれの有無及びその内容", "要記入"],
            ["6. 本人への対応の実施状況", "要記入"],
            ["7. 公表の実施状況", "要記入"],
            ["8. 再発防止のための措置（講じた措置）", "該当サーバーをネットワークから隔離し、全利用者のパスワードを変更した。"],
            ["8. 再発防止のための措置（今後予定する措置）", "要記入"],
            ["9. その他参考となる事項", "要記入"],
        ];
        Assert.Equal(expected, sheets[PpcReportWorkbook.ReportSheet].Rows);
    }

    [Fact]
    public void WhatTheRecordCannotKnowReadsToFill()
    {
        var blankCompany = new PpcReportDraft.ReporterDetails { Name = "株式会社サンプル商事", ContactEmail = "  " };
        var draft = Draft(reporter: blankCompany, corporateNumber: " ", knowOccurrence: false, dataItems: [" "], people: null, cause: "", measures: null, vendorLink: false);

        var report = Named(Read(PpcReportWorkbook.Write(draft, [])));

        string[] toFill =
        [
            "報告者：法人番号", "報告者：住所", "報告者：代表者の役職・氏名", "報告者：担当者の所属・氏名", "報告者：担当者の電話番号", "報告者：担当者のメールアドレス",
            "1. 概要：発生日時", "1. 概要：委託先からの通知日時（法26条1項ただし書）", "1. 概要：委託先の法人番号",
            "2. 漏えい等が発生し、又は発生したおそれがある個人データの項目", "3. 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数",
            "4. 原因", "5. 二次被害又はそのおそれの有無及びその内容", "6. 本人への対応の実施状況", "7. 公表の実施状況",
            "8. 再発防止のための措置（講じた措置）", "8. 再発防止のための措置（今後予定する措置）", "9. その他参考となる事項",
        ];
        Assert.All(toFill, label => Assert.Equal(PpcReportDraft.ToFill, report[label]));
        Assert.Equal(toFill.Order(StringComparer.Ordinal), report.Where(pair => pair.Value == PpcReportDraft.ToFill).Select(pair => pair.Key).Order(StringComparer.Ordinal));
        Assert.Equal("株式会社サンプル商事", report["報告者：事業者の名称"]);
        Assert.Equal("2026/04/01 00:30", report["1. 概要：発覚日時（委託先）"]);
    }

    [Fact]
    public void TheTriggersThatHoldAreTickedAndNoneTickedIsNotReportable()
    {
        var sensitiveOnly = Named(Read(PpcReportWorkbook.Write(Draft(sensitive: true, financial: false, unlawful: false, overThousand: false), [])));
        var none = Named(Read(PpcReportWorkbook.Write(Draft(sensitive: false, financial: false, unlawful: false, overThousand: false, people: 40), [])));

        Assert.Equal(["☑", "☐", "☐", "☐"], Triggers(sensitiveOnly));
        Assert.Equal("報告対象（規則7条各号のいずれかに該当、おそれを含む）", sensitiveOnly["報告対象事態の判定"]);
        Assert.Equal(["☐", "☐", "☐", "☐"], Triggers(none));
        Assert.Equal("規則7条各号のいずれにも該当しない（報告義務なし。任意に報告する場合の下書き）", none["報告対象事態の判定"]);
        Assert.Equal("約40人", none["3. 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数"]);

        static string[] Triggers(Dictionary<string, string> report) =>
            [.. report.Where(pair => pair.Key.StartsWith("1. 概要：該当する事態　規則7条", StringComparison.Ordinal)).Select(pair => pair.Value)];
    }

    [Fact]
    public void OnceTheFlashReportIsFiledTheDraftIsTheFinalReport()
    {
        var draft = Draft(preliminaryReportedAt: new DateTimeOffset(2026, 4, 2, 15, 0, 0, TimeSpan.Zero));

        var report = Named(Read(PpcReportWorkbook.Write(draft, [])));

        Assert.Equal("確報", report["報告の種類"]);
        Assert.Equal("2026/04/03 00:00", report["速報の報告日時"]);
        Assert.Equal("漏えい等報告_確報_下書き_inc-20260401-0a1b2c.xlsx", PpcReportWorkbook.FileName(draft));
        Assert.Equal("漏えい等報告_速報_下書き_inc-20260401-0a1b2c.xlsx", PpcReportWorkbook.FileName(Draft()));
    }

    [Fact]
    public void TheTimelineSheetListsWhenWhoAndWhatInJapanTimeAcrossTheUtcDayBoundary()
    {
        IncidentTimeline.Entry[] timeline =
        [
            Step(4, new DateTimeOffset(2026, 3, 31, 16, 45, 0, TimeSpan.Zero), "vendor:v-0001~cycle-2026", IncidentTimeline.Reported),
            Step(7, new DateTimeOffset(2026, 4, 30, 14, 59, 0, TimeSpan.Zero), "sato@our-company.example.jp", IncidentTimeline.PreliminaryReported),
            Step(9, new DateTimeOffset(2026, 4, 30, 15, 0, 0, TimeSpan.Zero), "sato@our-company.example.jp", "incident.scope-viewed"),
        ];

        var sheets = Read(PpcReportWorkbook.Write(Draft(), timeline));

        Assert.Equal([PpcReportWorkbook.ReportSheet, PpcReportWorkbook.TimelineSheet], sheets.Keys);
        string[][] expected =
        [
            ["日時", "実施者", "内容"],
            ["2026/04/01 01:45", "vendor:v-0001~cycle-2026", "漏えい等を受付・記録"],
            ["2026/04/30 23:59", "sato@our-company.example.jp", "個人情報保護委員会へ速報を提出"],
            ["2026/05/01 00:00", "sato@our-company.example.jp", "incident.scope-viewed"],
        ];
        Assert.Equal(expected, sheets[PpcReportWorkbook.TimelineSheet].Rows);
    }

    [Fact]
    public void TextThatLooksLikeAFormulaIsWrittenAsTextNeverAsAFormula()
    {
        const string Hyperlink = "=HYPERLINK(\"http://attacker.example\",\"click\")";
        var draft = Draft(summary: Hyperlink, vendorName: "+81-3-0000", cause: "@SUM(A1:A9)", measures: "-2+3");
        IncidentTimeline.Entry[] timeline = [Step(1, new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), "=cmd|' /C calc'!A0", IncidentTimeline.Closed)];

        var sheets = Read(PpcReportWorkbook.Write(draft, timeline));
        var report = Named(sheets);

        Assert.Equal(Hyperlink, report["1. 概要：事案の概要"]);
        Assert.Equal("+81-3-0000", report["1. 概要：委託先の名称"]);
        Assert.Equal("@SUM(A1:A9)", report["4. 原因"]);
        Assert.Equal("-2+3", report["8. 再発防止のための措置（講じた措置）"]);
        Assert.Equal("=cmd|' /C calc'!A0", sheets[PpcReportWorkbook.TimelineSheet].Rows[1][1]);
        foreach (var (_, sheet) in sheets)
        {
            Assert.Empty(sheet.Xml.Descendants(Main + "f"));
            Assert.All(sheet.Xml.Descendants(Main + "c"), cell => Assert.Equal("inlineStr", (string?)cell.Attribute("t")));
        }
    }

    private static Dictionary<string, string> Named(Dictionary<string, (string[][] Rows, XDocument Xml)> sheets) =>
        sheets[PpcReportWorkbook.ReportSheet].Rows.Skip(1).ToDictionary(row => row[0], row => row[1], StringComparer.Ordinal);

    /// <summary>Sheet name (in workbook order) → rows of cell text and the sheet's XML, straight from the zip.</summary>
    private static Dictionary<string, (string[][] Rows, XDocument Xml)> Read(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var workbook = Load(zip, "xl/workbook.xml");
        var targets = Load(zip, "xl/_rels/workbook.xml.rels").Descendants(PackageRelationships + "Relationship")
            .ToDictionary(relationship => (string)relationship.Attribute("Id")!, relationship => (string)relationship.Attribute("Target")!);
        var sheets = new Dictionary<string, (string[][], XDocument)>(StringComparer.Ordinal);
        foreach (var sheet in workbook.Descendants(Main + "sheet"))
        {
            var target = targets[(string)sheet.Attribute(Relationships + "id")!].TrimStart('/');
            var xml = Load(zip, target.StartsWith("xl/", StringComparison.Ordinal) ? target : "xl/" + target);
            var rows = xml.Descendants(Main + "row").Select(row => row.Elements(Main + "c").Select(cell =>
                string.Concat(cell.Descendants(Main + "t").Select(text => text.Value))).ToArray()).ToArray();
            sheets[(string)sheet.Attribute("name")!] = (rows, xml);
        }

        return sheets;
    }

    private static XDocument Load(ZipArchive zip, string path)
    {
        using var stream = zip.GetEntry(path)!.Open();
        return XDocument.Load(stream);
    }
}
