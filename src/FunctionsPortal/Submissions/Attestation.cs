namespace FunctionsPortal.Submissions;

/// <summary>What the vendor's responsible officer attests, word for word in both languages (it is sealed with the answers).</summary>
public static class Attestation
{
    public const string StatementJa =
        "私は、本回答に記載した内容および添付した資料が、当社における個人データの取扱いおよび安全管理措置の実態を正確に反映したものであることを、責任者として確認します。";

    public const string StatementEn =
        "As the responsible officer, I confirm that these answers and the attached documents accurately reflect how our company actually handles personal data and the safeguards it applies.";

    public const string HandlingMethodStatementJa =
        "私は、本書面に記載した個人データの取扱方法および添付した書面が、当社における実際の取扱いを正確に反映したものであることを、責任者として確認します。";

    public const string HandlingMethodStatementEn =
        "As the responsible officer, I confirm that the handling method stated here and the attached document accurately reflect how our company actually handles the personal data.";
}
