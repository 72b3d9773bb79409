namespace FunctionsPortal.Mail;

/// <summary>
/// Writes the mail for one outbox row, by purpose ("invitation", "reminder", …). Called when a draft must be
/// created — possibly again after a crash, so it must be safe to call twice. Returns null when the mail is no longer
/// wanted (the row is then cancelled).
/// </summary>
public interface IMailComposer
{
    /// <summary>The purposes (outbox row <c>Purpose</c>) this composer writes.</summary>
    IReadOnlyCollection<string> Purposes { get; }

    Task<OutgoingMail?> ComposeAsync(MailRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Called when a row has ended (sent, rejected or cancelled), whoever drove it — and again each time the finished row
    /// is asked for, so it must be idempotent (that repeat repairs a hook that failed during an outage).
    /// </summary>
    Task OnSettledAsync(MailRequest request, MailDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>Which mail an outbox row stands for: its owner (partition) and kind (row), purpose and recipient.</summary>
public sealed record MailRequest(string Owner, string Kind, string Purpose, string ToAddress)
{
    public string OutboxKey => $"{Owner}/{Kind}";
}
