using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace FunctionsPortal.Mail;

/// <summary>
/// Table "mailoutbox": one row per e-mail the portal must send exactly once. PartitionKey = the owner (an
/// assignment's key), RowKey = "{kind}~{owner}" with the mail's deterministic kind (e.g. "invitation", "reminder-7"),
/// so asking twice for the same mail finds the same row. The owner repeats in the RowKey because Azurite finds an
/// entity through its RowKey first: a bare kind, shared by every assignment, made each write walk all of them
/// (decision 029). The row moves pending → drafted (draft id and its mailbox saved) → send-requested
/// → sent, or rejected; a lease (owner + until) lets exactly one worker act on it at a time.
/// </summary>
internal sealed class MailOutboxEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    internal static string RowKeyOf(string owner, string kind) => $"{kind}~{owner}";

    /// <summary>The mail's kind: the RowKey without its "~{owner}" tail.</summary>
    private static string KindOf(string owner, string rowKey) => rowKey[..^(owner.Length + 1)];

    [IgnoreDataMember]
    public string Kind => KindOf(PartitionKey, RowKey);

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string State { get; set; } = MailStates.Pending;

    public string Purpose { get; set; } = "";

    public string ToAddress { get; set; } = "";

    public string Transport { get; set; } = "";

    public string? DraftId { get; set; }

    /// <summary>The mailbox the draft lives in, saved with <see cref="DraftId"/>: every later step uses it (null before drafting, and on rows drafted before it was recorded).</summary>
    public string? Sender { get; set; }

    /// <summary>Recipients the draft counts against its mailbox's daily cap.</summary>
    public int Recipients { get; set; } = 1;

    public int Attempts { get; set; }

    /// <summary>
    /// Failures in a row at the current step (creating the draft, or sending it), set back to 0 when the draft is
    /// created: the exponent of the backoff. Not <see cref="Attempts"/>, which also counts every claim, verify and
    /// successful step, so a few throttles would have pushed a mail to the 15-minute cap.
    /// </summary>
    public int Failures { get; set; }

    /// <summary>Persisted before each send call: a row that may already have been sent is verified, never resent blindly.</summary>
    public int SendAttempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public string? LastError { get; set; }

    /// <summary>Which sending limit (<see cref="MailLimits"/>) deferred the row last, until <see cref="NextAttemptAt"/>; null once it moves on.</summary>
    public string? DeferredBy { get; set; }

    /// <summary>The composed mail's <see cref="OutgoingMail.Reference"/>, saved with the draft id; given back when the row settles.</summary>
    public string? Reference { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }
}

public static class MailStates
{
    public const string Pending = "pending";
    public const string Drafted = "drafted";
    public const string SendRequested = "send-requested";
    public const string Sent = "sent";
    public const string Rejected = "rejected";

    /// <summary>The composer said the mail is no longer wanted (e.g. its assignment was cancelled).</summary>
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string state) => state is Sent or Rejected or Cancelled;
}
