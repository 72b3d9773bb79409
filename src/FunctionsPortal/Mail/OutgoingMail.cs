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
    string TextBody);

public sealed record MailAddressee(string Address, string? Name = null);
