namespace FunctionsPortal.Evidence;

/// <summary>Every refusal the sniffer and the Office inspectors give, worded once so a vendor reads the same advice whichever check caught the file.</summary>
internal static class SniffRefusals
{
    private const string Accepted = "PDF、Word、Excel、PowerPoint、画像（PNG・JPEG・GIF・WebP）、CSV、テキスト";
    private const string AcceptedEn = "PDF, Word, Excel, PowerPoint, an image (PNG, JPEG, GIF, WebP), CSV or text";

    public static SniffResult Empty() => SniffResult.Refuse(EvidenceRefusalReasons.Empty,
        "ファイルが空です。", "The file is empty.");

    public static SniffResult Unsupported() => SniffResult.Refuse(EvidenceRefusalReasons.Unsupported,
        $"この形式のファイルは受け付けていません。{Accepted}のファイルをアップロードしてください。",
        $"This kind of file is not accepted. Upload {AcceptedEn}.");

    public static SniffResult Damaged() => SniffResult.Refuse(EvidenceRefusalReasons.Unsupported,
        "ファイルが壊れているため読み取れません。保存し直してからアップロードしてください。",
        "The file is damaged and cannot be read. Save it again and upload it.");

    public static SniffResult Markup() => SniffResult.Refuse(EvidenceRefusalReasons.Unsupported,
        "HTML・SVG・スクリプトは受け付けていません。PDF などに変換してからアップロードしてください。",
        "HTML, SVG and scripts are not accepted. Convert the file, for example to PDF, and upload that.");

    public static SniffResult Macros() => SniffResult.Refuse(EvidenceRefusalReasons.Unsupported,
        "マクロを含む Office ファイルは受け付けていません。マクロなしの形式（.docx・.xlsx・.pptx）で保存し直してください。",
        "Office files with macros are not accepted. Save the file without macros (.docx, .xlsx, .pptx) and upload that.");

    public static SniffResult ActiveX() => SniffResult.Refuse(EvidenceRefusalReasons.Unsupported,
        "ActiveX コントロールを含む Office ファイルは受け付けていません。コントロールを削除するか、PDF に変換してからアップロードしてください。",
        "Office files with ActiveX controls are not accepted. Remove the controls, or convert the file to PDF, and upload that.");

    public static SniffResult Embedded() => SniffResult.Refuse(EvidenceRefusalReasons.Unsupported,
        "埋め込みオブジェクト（OLE オブジェクト・パッケージ）を含む Office ファイルは受け付けていません。埋め込みを削除するか、PDF に変換してからアップロードしてください。",
        "Office files with embedded objects (OLE objects or packages) are not accepted. Remove the embedded objects, or convert the file to PDF, and upload that.");

    public static SniffResult ExternalLinks() => SniffResult.Refuse(EvidenceRefusalReasons.Unsupported,
        "外部のテンプレート・データ・ファイルへのリンクを含む Office ファイルは受け付けていません（ハイパーリンクは問題ありません）。リンクを解除して保存し直すか、PDF に変換してからアップロードしてください。",
        "Office files that link to an outside template, data source or file are not accepted (hyperlinks are fine). Break the links and save the file again, or convert it to PDF, and upload that.");

    public static SniffResult Encrypted() => SniffResult.Refuse(EvidenceRefusalReasons.Encrypted,
        "パスワードで保護されたファイルは中身を確認できないため受け付けていません。パスワード保護を解除してからアップロードしてください。",
        "Password-protected files cannot be checked, so they are not accepted. Remove the password protection and upload the file again.");

    public static SniffResult TooComplex() => SniffResult.Refuse(EvidenceRefusalReasons.Unsupported,
        "ファイルの展開後のサイズまたは構成要素の数が上限を超えているため確認できません。ファイルを分けるか、PDF に変換してからアップロードしてください。",
        "The file unpacks to more than can be checked (too large once unpacked, or too many parts). Split it, or convert it to PDF, and upload that.");

    public static SniffResult NeedsExtension(string label) => SniffResult.Refuse(EvidenceRefusalReasons.Unsupported,
        $"ファイル名に拡張子がないため、{label} のどの形式か判断できません。拡張子を付けてアップロードしてください。",
        $"The file name has no extension, so which {label} format it is cannot be told. Add the extension and upload it again.");

    public static SniffResult Mismatch(string label, string extension) => SniffResult.Refuse(EvidenceRefusalReasons.Mismatch,
        $"ファイルの中身（{label}）が拡張子「{extension}」と一致しません。正しい拡張子で保存し直してください。",
        $"The file's content ({label}) does not match its extension \"{extension}\". Save it with the right extension and upload it again.");
}
