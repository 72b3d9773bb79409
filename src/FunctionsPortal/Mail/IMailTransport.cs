namespace FunctionsPortal.Mail;

/// <summary>
/// How mail leaves the portal, in three steps so the outbox can make sending exactly-once even across crashes:
/// create a draft (its reference — id and the mailbox it lives in — is saved in the outbox row before anything else
/// happens), send that draft, and ask whether the draft was sent (after a crash or an unknown outcome the outbox asks
/// before ever sending again). Implementations: Microsoft Graph (sender mailboxes, immutable ids) and the local outbox.
/// </summary>
public interface IMailTransport
{
    /// <summary>"graph" or "local-outbox"; shown to staff.</summary>
    string Name { get; }

    /// <summary>Creates the draft in a mailbox the transport chooses; every later step for it names that draft (and so that mailbox).</summary>
    Task<MailStep<MailDraft>> CreateDraftAsync(OutgoingMail mail, CancellationToken cancellationToken);

    Task<MailStep<bool>> SendDraftAsync(MailDraft draft, CancellationToken cancellationToken);

    Task<MailStep<DraftStatus>> GetDraftStatusAsync(MailDraft draft, CancellationToken cancellationToken);
}

/// <summary>
/// A draft the transport created: its id, the mailbox it lives in (a draft can only be sent from, and read back in,
/// the mailbox it was created in), and how many recipients sending it counts against that mailbox's daily cap.
/// <see cref="Mailbox"/> is null for rows drafted before the mailbox was recorded: the transport's first mailbox.
/// </summary>
public sealed record MailDraft(string Id, string? Mailbox, int Recipients = 1);

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

    /// <summary>
    /// Not tried: a sending limit of the mailbox (<see cref="MailStep{T}.Limit"/>) leaves no room before
    /// <see cref="MailStep{T}.RetryAfter"/>. Unlike <see cref="RetryLater"/> nothing reached the mail service, so a
    /// deferred send needs no verify before it is tried again.
    /// </summary>
    Deferred,

    /// <summary>Permanently refused (e.g. an invalid recipient address): staff must fix something.</summary>
    Rejected,
}

/// <summary>
/// What one step came to: its outcome, its value when done, when to try again (a server's Retry-After, or a limit's
/// turn), a sentence for staff, and for <see cref="MailStepOutcome.Deferred"/> which limit (<see cref="MailLimits"/>).
/// </summary>
public sealed record MailStep<T>(MailStepOutcome Outcome, T? Value, TimeSpan? RetryAfter, string? Detail, string? Limit = null);

public static class MailStep
{
    public static MailStep<T> Done<T>(T value) => new(MailStepOutcome.Done, value, null, null);

    public static MailStep<T> RetryLater<T>(string detail, TimeSpan? retryAfter = null) => new(MailStepOutcome.RetryLater, default, retryAfter, detail);

    public static MailStep<T> Deferred<T>(string limit, string detail, TimeSpan retryAfter) => new(MailStepOutcome.Deferred, default, retryAfter, detail, limit);

    public static MailStep<T> Rejected<T>(string detail) => new(MailStepOutcome.Rejected, default, null, detail);
}

/// <summary>The sending limits of a mailbox that can defer a mail; recorded on the outbox row and counted per campaign.</summary>
public static class MailLimits
{
    /// <summary>Messages per minute (Exchange Online: 30 per mailbox).</summary>
    public const string MessageRate = "message-rate";

    /// <summary>Concurrent requests (Outlook: 4 per app and mailbox).</summary>
    public const string ConcurrentRequests = "concurrent-requests";

    /// <summary>Recipients per day (Exchange Online: 10,000 per mailbox): the mail waits for a later day.</summary>
    public const string DailyRecipients = "daily-recipients";
}
