namespace FunctionsPortal.Mail;

/// <summary>
/// How mail leaves the portal, in three steps so the outbox can make sending exactly-once even across crashes:
/// create a draft (its id is saved in the outbox row before anything else happens), send that draft, and ask
/// whether the draft was sent (after a crash or an unknown outcome the outbox asks before ever sending again).
/// Implementations: Microsoft Graph (a sender mailbox, immutable ids) and the local outbox (files you can open).
/// </summary>
public interface IMailTransport
{
    /// <summary>"graph" or "local-outbox"; shown to staff.</summary>
    string Name { get; }

    Task<MailStep<string>> CreateDraftAsync(OutgoingMail mail, CancellationToken cancellationToken);

    Task<MailStep<bool>> SendDraftAsync(string draftId, CancellationToken cancellationToken);

    Task<MailStep<DraftStatus>> GetDraftStatusAsync(string draftId, CancellationToken cancellationToken);
}

public enum DraftStatus
{
    /// <summary>Created, not sent: sending it is safe.</summary>
    Draft,

    /// <summary>Sent (it left the mailbox).</summary>
    Sent,

    /// <summary>Not found (deleted, or not visible yet right after sending): never resend blindly; check again later.</summary>
    Missing,
}

public enum MailStepOutcome
{
    Done,

    /// <summary>Throttled (429), unavailable (5xx), timed out: nothing was decided, try the same step later.</summary>
    RetryLater,

    /// <summary>Permanently refused (e.g. an invalid recipient address): staff must fix something.</summary>
    Rejected,
}

public sealed record MailStep<T>(MailStepOutcome Outcome, T? Value, TimeSpan? RetryAfter, string? Detail);

public static class MailStep
{
    public static MailStep<T> Done<T>(T value) => new(MailStepOutcome.Done, value, null, null);

    public static MailStep<T> RetryLater<T>(string detail, TimeSpan? retryAfter = null) => new(MailStepOutcome.RetryLater, default, retryAfter, detail);

    public static MailStep<T> Rejected<T>(string detail) => new(MailStepOutcome.Rejected, default, null, detail);
}
