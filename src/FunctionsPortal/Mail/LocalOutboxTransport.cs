using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using FunctionsPortal.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Mail;

/// <summary>
/// The local default when no Graph sender is configured: mail "sent" lands in table "localmail" and as an .eml file,
/// listed on /outbox (Development only) with clickable links, so a newcomer gets a working survey link at once.
/// </summary>
public sealed class LocalOutboxTransport(PortalStorage storage, IOptions<MailOptions> options, TimeProvider timeProvider) : IMailTransport
{
    public const string TableName = "localmail";

    public string Name => "local-outbox";

    private TableClient Table => storage.GetTable(TableName);

    public async Task<MailStep<MailDraft>> CreateDraftAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var now = timeProvider.GetUtcNow();
        // Newest first in the table: the row key counts down from the far future.
        var id = (DateTimeOffset.MaxValue.Ticks - now.Ticks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        await Table.AddEntityAsync(new LocalMailEntity
        {
            RowKey = id,
            OutboxKey = mail.OutboxKey,
            To = Format(mail.To),
            Company = mail.To.Organisation,
            Cc = string.Join(", ", mail.Cc.Select(Format)),
            Subject = mail.Subject,
            HtmlBody = mail.HtmlBody,
            TextBody = mail.TextBody,
            CreatedAt = now,
        }, cancellationToken);
        return MailStep.Done(new MailDraft(id, options.Value.LocalSender, 1 + mail.Cc.Count));
    }

    public async Task<MailStep<bool>> SendDraftAsync(MailDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var draftId = draft.Id;
        var row = await Table.GetEntityIfExistsAsync<LocalMailEntity>(LocalMailEntity.Partition, draftId, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return MailStep.Rejected<bool>($"Local draft {draftId} does not exist.");
        }

        var mail = row.Value!;
        if (!mail.Sent)
        {
            var directory = options.Value.LocalOutboxDirectory;
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, $"{mail.CreatedAt:yyyyMMdd-HHmmss}-{draftId[^8..]}.eml");
            await File.WriteAllTextAsync(path, Eml(mail, options.Value.LocalSender), cancellationToken);
            mail.Sent = true;
            mail.SentAt = timeProvider.GetUtcNow();
            mail.EmlPath = path;
            await Table.UpdateEntityAsync(mail, mail.ETag, TableUpdateMode.Replace, cancellationToken);
        }

        return MailStep.Done(true);
    }

    public async Task<MailStep<DraftStatus>> GetDraftStatusAsync(MailDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var row = await Table.GetEntityIfExistsAsync<LocalMailEntity>(LocalMailEntity.Partition, draft.Id, cancellationToken: cancellationToken);
        return MailStep.Done(!row.HasValue ? DraftStatus.Missing : row.Value!.Sent ? DraftStatus.Sent : DraftStatus.Draft);
    }

    /// <summary>The most recent sent mails, newest first.</summary>
    public async Task<IReadOnlyList<LocalMail>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var mails = new List<LocalMail>();
        await foreach (var row in Table.QueryAsync<LocalMailEntity>(entity => entity.PartitionKey == LocalMailEntity.Partition && entity.Sent, maxPerPage: limit, cancellationToken: cancellationToken))
        {
            mails.Add(ToMail(row));
            if (mails.Count >= limit)
            {
                break;
            }
        }

        return mails;
    }

    public async Task<LocalMail?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<LocalMailEntity>(LocalMailEntity.Partition, id, cancellationToken: cancellationToken);
        return row.HasValue && row.Value!.Sent ? ToMail(row.Value) : null;
    }

    private static LocalMail ToMail(LocalMailEntity row) =>
        new(row.RowKey, row.OutboxKey, row.To, row.Company, row.Cc, row.Subject, row.HtmlBody, row.TextBody, row.SentAt ?? row.CreatedAt, row.EmlPath);

    private static string Format(MailAddressee addressee) =>
        addressee.Name is { Length: > 0 } name ? $"{name} <{addressee.Address}>" : addressee.Address;

    /// <summary>A MIME message (multipart/alternative, UTF-8, Base64) that any mail program opens.</summary>
    internal static string Eml(LocalMailEntity mail, string from)
    {
        static string Encoded(string text) => $"=?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}?=";
        static string Body(string text) => string.Join("\r\n", Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).Chunk(76).Select(chunk => new string(chunk)));
        var boundary = "portal-" + mail.RowKey[^8..];
        var eml = new StringBuilder()
            .Append("From: ").Append(from).Append("\r\n")
            .Append("To: ").Append(Encoded(mail.To)).Append("\r\n");
        if (mail.Cc.Length > 0)
        {
            eml.Append("Cc: ").Append(Encoded(mail.Cc)).Append("\r\n");
        }

        return eml.Append("Subject: ").Append(Encoded(mail.Subject)).Append("\r\n")
            .Append("Date: ").Append(mail.CreatedAt.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Message-ID: <").Append(mail.RowKey).Append("@functionsportal.local>\r\n")
            .Append("X-Portal-Outbox-Key: ").Append(mail.OutboxKey).Append("\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/alternative; boundary=\"").Append(boundary).Append("\"\r\n\r\n")
            .Append("--").Append(boundary).Append("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Body(mail.TextBody)).Append("\r\n")
            .Append("--").Append(boundary).Append("\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Body(mail.HtmlBody)).Append("\r\n")
            .Append("--").Append(boundary).Append("--\r\n")
            .ToString();
    }
}

public sealed record LocalMail(string Id, string OutboxKey, string To, string? Company, string Cc, string Subject, string HtmlBody, string TextBody, DateTimeOffset SentAt, string? EmlPath);
