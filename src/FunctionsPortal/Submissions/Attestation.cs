namespace FunctionsPortal.Submissions;

/// <summary>
/// What the vendor's responsible officer attests, word for word in both languages. The words are sealed with the
/// answers (SealedAttestation), so a receipt carries the text it was given under and verifies whatever the wording is today.
/// The vendor speaks of itself as 弊社 (当社 is us, the client, in every question) and pledges (誓約), not swears (宣誓).
/// </summary>
public static class Attestation
{
    public const string StatementJa =
        "私は、本回答に記載した内容および添付した資料が、弊社における個人データの取扱いおよび安全管理措置の実態を正確に反映したものであることを、責任者として確認し、誓約します。";

    public const string StatementEn =
        "As the responsible officer, I confirm and undertake that these answers and the attached documents accurately reflect how our company actually handles personal data and the safeguards it applies.";

    public const string HandlingMethodStatementJa =
        "私は、本書面に記載した個人データの取扱方法および添付した書面が、弊社における実際の取扱いを正確に反映したものであることを、責任者として確認し、誓約します。";

    public const string HandlingMethodStatementEn =
        "As the responsible officer, I confirm and undertake that the handling method stated here and the attached document accurately reflect how our company actually handles the personal data.";
}
