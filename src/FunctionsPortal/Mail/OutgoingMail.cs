namespace FunctionsPortal.Mail;

/// <summary>
/// One e-mail the portal sends: one recipient (plus optional copies), Japanese-first bilingual HTML and plain text.
/// <see cref="OutboxKey"/> is the deterministic key of the outbox row that owns it (travels as header X-Portal-Outbox-Key).
/// </summary>
public sealed record OutgoingMail(
    string OutboxKey,
    MailAddressee To,
    IReadOnlyList<MailAddressee> Cc,
    string Subject,
    string HtmlBody,
    string TextBody)
{
    /// <summary>
    /// What the mail's owner records once it is sent (a survey invitation: the keyed hash of the link it carries). Kept
    /// on the outbox row in the same write as the draft id and handed back to the settle hook, so a crash after sending
    /// cannot lose it.
    /// </summary>
    public string? Reference { get; init; }
}

/// <summary>A recipient; <c>Organisation</c> is their company (the vendor's name, or ours for staff) as the letter addresses it.</summary>
public sealed record MailAddressee(string Address, string? Name = null, string? Organisation = null);
