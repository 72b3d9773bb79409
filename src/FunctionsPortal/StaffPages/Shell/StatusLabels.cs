using FunctionsPortal.Checklists;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.StaffPages.Shell;

/// <summary>An assignment's status as staff read it, in both languages.</summary>
public static class StatusLabels
{
    public static Localized For(string status) => status switch
    {
        AssignmentStatus.Scheduled => new("送付待ち", "Planned"),
        AssignmentStatus.Invited => new("依頼済み", "Invited"),
        AssignmentStatus.Opened => new("開封済み", "Opened"),
        AssignmentStatus.InProgress => new("回答中", "In progress"),
        AssignmentStatus.Submitted => new("提出済み", "Submitted"),
        AssignmentStatus.Resubmitted => new("再提出", "Resubmitted"),
        AssignmentStatus.UnderReview => new("確認中", "Under review"),
        AssignmentStatus.ChangesRequested => new("修正依頼中", "Changes requested"),
        AssignmentStatus.Accepted => new("受理", "Accepted"),
        AssignmentStatus.Overdue => new("期限超過", "Overdue"),
        AssignmentStatus.Cancelled => new("取消", "Cancelled"),
        _ => new(status, status),
    };
}
