using FunctionsPortal.Surveys;

namespace FunctionsPortal.Responses;

/// <summary>How far a vendor got, as the assignment records it: the link opened, answers saved.</summary>
public sealed class VendorProgress(AssignmentStore assignments, TimeProvider clock)
{
    /// <summary>The vendor opened its link (an overdue one too: it is waiting again); returns the session as it now stands.</summary>
    public async Task<VendorSession> OpenedAsync(VendorSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Assignment.Status is not (AssignmentStatus.Invited or AssignmentStatus.Overdue))
        {
            return session;
        }

        var opened = await assignments.TransitionAsync(session.Key, AssignmentStatus.Opened, "vendor", "Link opened", clock.GetUtcNow(), cancellationToken);
        return opened is null ? session : session with { Assignment = opened };
    }

    /// <summary>Answers were saved: the survey is in progress.</summary>
    public async Task AnsweringAsync(VendorSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Assignment.Status is AssignmentStatus.Invited or AssignmentStatus.Opened or AssignmentStatus.Overdue)
        {
            await assignments.TransitionAsync(session.Key, AssignmentStatus.InProgress, "vendor", "Answers saved", clock.GetUtcNow(), cancellationToken);
        }
    }
}
