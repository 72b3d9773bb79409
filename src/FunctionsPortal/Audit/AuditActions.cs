namespace FunctionsPortal.Audit;

/// <summary>The stable names of what an audit record says happened (stored and hashed: never rename one), and how staff read them.</summary>
public static class AuditActions
{
    public const string ReviewAccepted = "review.accepted";
    public const string ReviewChangesRequested = "review.changes-requested";
    public const string ReviewFirstApproval = "review.first-approval";
    public const string ReviewNoteAdded = "review.note-added";
    public const string ReviewItemReassessed = "review.item-reassessed";
    public const string VendorCreated = "vendor.created";
    public const string VendorUpdated = "vendor.updated";
    public const string VendorRiskOverride = "vendor.risk-override";
    public const string VendorPriorApproval = "vendor.prior-approval";
    public const string SubcontractorLinked = "vendor.subcontractor-linked";
    public const string VendorsImported = "vendors.imported";
    public const string CampaignLaunched = "campaign.launched";
    public const string LinkResent = "link.resent";
    public const string LinkRevoked = "link.revoked";
    public const string AssignmentCancelled = "assignment.cancelled";
    public const string AssignmentDueDateMoved = "assignment.due-date-moved";
    public const string SubmissionSealed = "submission.sealed";
    public const string CorrectiveActionsRaised = "corrective-actions.raised";
    public const string RemediationSubmitted = "corrective-action.remediation-submitted";
    public const string RemediationVerified = "corrective-action.verified";
    public const string RemediationReturned = "corrective-action.returned";
    public const string RiskAccepted = "corrective-action.risk-accepted";
    public const string RiskAcceptanceRefused = "corrective-action.risk-refused";
    public const string ActionClosedWithoutEvidence = "corrective-action.closed-without-evidence";
    public const string ActionEscalated = "corrective-action.escalated";
    public const string ManagementLevelChanged = "management-level.changed";
    public const string ContractRecorded = "contract.recorded";
    public const string RegistryChangeProposed = "vendor.change-proposed";
    public const string RegistryChangeConfirmed = "vendor.change-confirmed";
    public const string RegistryChangeDismissed = "vendor.change-dismissed";
    public const string ApprovedWithoutDocument = "vendor.prior-approval-without-document";
    public const string IncidentReported = "incident.reported";
    public const string IncidentPreliminaryReported = "incident.preliminary-reported";
    public const string IncidentFinalReported = "incident.final-reported";
    public const string IncidentClosed = "incident.closed";

    /// <summary>The action in Japanese and English; an action this version does not know reads as itself.</summary>
    public static (string Ja, string En) Label(string action) => action switch
    {
        ReviewAccepted => ("提出を受理", "Submission accepted"),
        ReviewChangesRequested => ("修正を依頼", "Changes requested"),
        ReviewFirstApproval => ("一次承認（二次承認待ち）", "First approval (awaiting a second reviewer)"),
        ReviewNoteAdded => ("社内メモを追加", "Internal note added"),
        ReviewItemReassessed => ("設問を再評価", "Item reassessed"),
        VendorCreated => ("委託先を登録", "Vendor registered"),
        VendorUpdated => ("登録内容を変更", "Registry entry changed"),
        VendorRiskOverride => ("リスク区分を手動設定", "Risk tier overridden"),
        VendorPriorApproval => ("再委託の事前承認", "Prior approval decided"),
        SubcontractorLinked => ("再委託先を登録済みの委託先に紐付け", "Declared subcontractor linked to a registered vendor"),
        VendorsImported => ("CSVで一括取込", "Vendors imported from CSV"),
        CampaignLaunched => ("キャンペーンを開始", "Campaign launched"),
        LinkResent => ("回答リンクを再送", "Link resent"),
        LinkRevoked => ("回答リンクを無効化", "Link revoked"),
        AssignmentCancelled => ("調査を取消", "Survey cancelled"),
        AssignmentDueDateMoved => ("回答期限を変更", "Due date moved"),
        SubmissionSealed => ("回答を提出（封印）", "Submission sealed"),
        CorrectiveActionsRaised => ("是正措置を起票", "Corrective actions raised"),
        RemediationSubmitted => ("是正報告を受領（封印）", "Remediation received (sealed)"),
        RemediationVerified => ("是正を確認", "Remediation verified"),
        RemediationReturned => ("是正報告を差し戻し", "Remediation sent back"),
        RiskAccepted => ("残存リスクを受容", "Residual risk accepted"),
        RiskAcceptanceRefused => ("リスク受容を不可と判断", "Risk acceptance refused"),
        ActionClosedWithoutEvidence => ("証跡なしでタスク完了（再オープン）", "Task closed without evidence"),
        ActionEscalated => ("期限超過を社内担当へエスカレーション", "Overdue action escalated"),
        ManagementLevelChanged => ("管理レベルを変更", "Management level changed"),
        ContractRecorded => ("契約書類（業務委託契約・覚書）を登録", "Contract document recorded"),
        RegistryChangeProposed => ("回答から登録内容の変更を提案", "Registry change proposed by the scoping answers"),
        RegistryChangeConfirmed => ("提案された登録内容の変更を確定", "Proposed registry change confirmed"),
        RegistryChangeDismissed => ("提案された登録内容の変更を却下", "Proposed registry change dismissed"),
        ApprovedWithoutDocument => ("取扱方法の書面の到着前に再委託を承認", "Subcontracting approved before the handling-method document arrived"),
        IncidentReported => ("漏えい等の事案を受付（封印）", "Incident reported (sealed)"),
        IncidentPreliminaryReported => ("個人情報保護委員会へ速報", "Preliminary report made to the PPC"),
        IncidentFinalReported => ("個人情報保護委員会へ確報", "Final report made to the PPC"),
        IncidentClosed => ("事案を完了", "Incident closed"),
        _ => (action, action),
    };
}
