namespace FunctionsPortal.Surveys;

/// <summary>
/// The life of an assignment: scheduled → invited → opened → in-progress → submitted → under-review → accepted, or
/// changes-requested → resubmitted → under-review …; overdue when the due date passes unanswered; cancelled by staff.
/// Every move is recorded (who or what, when, why).
/// </summary>
public static class AssignmentStatus
{
    public const string Scheduled = "scheduled";
    public const string Invited = "invited";
    public const string Opened = "opened";
    public const string InProgress = "in-progress";
    public const string Submitted = "submitted";
    public const string UnderReview = "under-review";
    public const string Accepted = "accepted";
    public const string ChangesRequested = "changes-requested";
    public const string Resubmitted = "resubmitted";
    public const string Overdue = "overdue";
    public const string Cancelled = "cancelled";

    private static readonly Dictionary<string, string[]> Moves = new(StringComparer.Ordinal)
    {
        [Scheduled] = [Invited, Cancelled],
        [Invited] = [Opened, InProgress, Submitted, Overdue, Cancelled],
        [Opened] = [InProgress, Submitted, Overdue, Cancelled],
        [InProgress] = [Submitted, Overdue, Cancelled],
        [Overdue] = [Invited, Opened, InProgress, Submitted, Cancelled],
        [Submitted] = [UnderReview, Cancelled],
        [UnderReview] = [Accepted, ChangesRequested],
        [ChangesRequested] = [Resubmitted, Overdue, Cancelled],
        [Resubmitted] = [UnderReview],
        [Accepted] = [],
        [Cancelled] = [],
    };

    public static IReadOnlyCollection<string> All => Moves.Keys;

    public static bool CanMove(string from, string to) => Moves.TryGetValue(from, out var targets) && targets.Contains(to, StringComparer.Ordinal);

    /// <summary>Waiting for the vendor: reminders and overdue checks apply.</summary>
    public static bool AwaitsVendor(string status) => status is Invited or Opened or InProgress or ChangesRequested;

    public static bool IsFinal(string status) => status is Accepted or Cancelled;

    /// <summary>The vendor may seal while the survey waits for them; after that only staff reopen it (changes requested).</summary>
    public static bool AcceptsSubmission(string status) => status is Invited or Opened or InProgress or Overdue or ChangesRequested;
}
