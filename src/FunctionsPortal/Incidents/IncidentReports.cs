using System.Security.Cryptography;
using System.Text;
using FunctionsPortal.Audit;
using FunctionsPortal.Mail;
using FunctionsPortal.Responses;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Incidents;

/// <summary>
/// Receives incident reports (a vendor through its link, staff from the vendor page or the API): validates, assigns the
/// id, stores the documents, seals the report as received, records the incident, appends to the vendor's audit chain
/// and mails staff at once (one outbox row per recipient, keyed by the incident). Then the PPC reporting steps and the
/// close, each ETag-guarded and audited with the incident id as subject (the timeline filters by it).
/// </summary>
public sealed partial class IncidentReports(
    IncidentStore store, IncidentDocuments documents, IncidentSealer sealer, VendorRegistry registry, AuditTrail audit, MailOutbox outbox, IncidentFollowUp followUp,
    IOptions<IncidentOptions> options, TimeProvider clock, ILogger<IncidentReports> logger)
{
    public const string MailOwnerPrefix = "inc~";

    /// <summary>
    /// A vendor's report through its link: we became aware when we received it, and it is the vendor's notice to us under
    /// the proviso of Art. 26 para. 1 (<see cref="Incident.PrincipalNotifiedAt"/>).
    /// </summary>
    public Task<IncidentReportResult> ReportByVendorAsync(VendorSession session, IncidentReport report, IReadOnlyList<IncidentUpload> uploads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return ReportByVendorAsync(session.Vendor, session.Key, report, uploads, cancellationToken);
    }

    /// <inheritdoc cref="ReportByVendorAsync(VendorSession, IncidentReport, IReadOnlyList{IncidentUpload}, CancellationToken)"/>
    public Task<IncidentReportResult> ReportByVendorAsync(VendorRecord vendor, string assignmentKey, IncidentReport report, IReadOnlyList<IncidentUpload> uploads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentException.ThrowIfNullOrWhiteSpace(assignmentKey);
        return ReceiveAsync(vendor, null, report, uploads, IncidentChannels.VendorLink, $"vendor:{assignmentKey}", cancellationToken);
    }

    /// <summary>A report recorded by staff; <paramref name="awareAt"/> is when we became aware (now when not given).</summary>
    public async Task<IncidentReportResult> ReportByStaffAsync(
        string vendorId, DateTimeOffset? awareAt, IncidentReport report, string by, CancellationToken cancellationToken,
        IReadOnlyList<IncidentUpload>? uploads = null, string channel = IncidentChannels.Staff)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (string.IsNullOrWhiteSpace(vendorId) || await registry.RecordAsync(vendorId, cancellationToken) is not { } vendor)
        {
            return IncidentReportResult.Invalid([new("vendorId", "委託先が見つかりません。", "No such vendor."), .. IncidentValidator.Validate(report, clock.GetUtcNow())]);
        }

        return await ReceiveAsync(vendor, awareAt, report, uploads ?? [], channel, by, cancellationToken);
    }

    private async Task<IncidentReportResult> ReceiveAsync(
        VendorRecord vendor, DateTimeOffset? awareAt, IncidentReport report, IReadOnlyList<IncidentUpload> uploads, string channel, string by, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = IncidentValidator.Validate(report, now).ToList();
        if (awareAt is { } aware && (aware > now || aware.Year < JapaneseCalendar.FirstYear))
        {
            errors.Add(new("awareAt", "当社が知った日時が正しくありません（未来の日時は入力できません）。", "When we became aware is not valid (it cannot be in the future)."));
        }

        var (files, fileErrors) = await IncidentDocuments.CheckAsync(uploads, cancellationToken);
        errors.AddRange(fileErrors);
        if (errors.Count > 0)
        {
            return IncidentReportResult.Invalid(errors);
        }

        var awareAtOrNow = awareAt ?? now;
        var id = NewId(awareAtOrNow);
        var stored = await documents.StoreAsync(id, files, cancellationToken);
        var received = new Incident(
            id, vendor.Id, Normalized(report), channel, by, now, awareAtOrNow, channel == IncidentChannels.VendorLink ? now : null, IncidentStatuses.Open,
            null, null, null, stored, new IncidentSeal("", "", "", "", ""), "");

        // The sealed blob is written before the rows: a crash between leaves a sealed report nothing points to, never a record without its seal.
        var seal = await sealer.SealAsync(IncidentPayload.From(received, vendor.Vendor.LegalName.Ja), cancellationToken);
        var incident = await store.TryAddAsync(received with { Seal = seal }, cancellationToken)
            ?? throw new InvalidOperationException($"Incident id {id} is taken.");
        LogReported(incident.Id, incident.VendorId, channel);
        await audit.AppendAsync(new AuditEntry(incident.VendorId, AuditActions.IncidentReported, by, incident.Id, After: new
        {
            channel, awareAt = incident.AwareAt, sha256 = seal.Sha256, keyVersion = seal.KeyVersion, documents = stored.Count,
        }), cancellationToken);
        await followUp.RecordOccurrenceAsync(incident, by, cancellationToken);
        await MailStaffAsync(incident, vendor, cancellationToken);
        return new IncidentReportResult(incident, []);
    }

    /// <summary>Mails everyone on staff who must hear of the incident: one outbox row each, so asking again sends nothing more.</summary>
    public async Task MailStaffAsync(Incident incident, VendorRecord? vendor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        foreach (var address in Recipients(vendor))
        {
            await outbox.DeliverAsync(new MailRequest(MailOwner(incident.Id), $"reported~{AddressKey(address)}", IncidentMailComposer.ReportedPurpose, address), cancellationToken);
        }
    }

    /// <summary>The privacy office's addresses and the vendor's internal owner, once each.</summary>
    public IReadOnlyList<string> Recipients(VendorRecord? vendor)
    {
        var addresses = options.Value.NotifyAddresses.ToList();
        if (vendor?.Vendor.InternalOwner?.Email is { } owner && VendorValidator.IsEmail(owner))
        {
            addresses.Add(owner);
        }

        var recipients = addresses.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (recipients.Count == 0)
        {
            LogNobodyToTell(vendor?.Id ?? "");
        }

        return recipients;
    }

    public static string MailOwner(string incidentId) => MailOwnerPrefix + incidentId;

    /// <summary>A short key for an address in an outbox row key (addresses may hold characters a row key may not).</summary>
    public static string AddressKey(string address) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(address.ToUpperInvariant())))[..12];

    public Task<IncidentUpdate> MarkPreliminaryReportedAsync(string id, string? ifMatch, DateTimeOffset? at, string by, CancellationToken cancellationToken) =>
        ChangeAsync(id, ifMatch, by, AuditActions.IncidentPreliminaryReported, current => current.IsOpen && current.PreliminaryReportedAt is null
            ? current with { PreliminaryReportedAt = at ?? clock.GetUtcNow() }
            : null, cancellationToken);

    public Task<IncidentUpdate> MarkFinalReportedAsync(string id, string? ifMatch, DateTimeOffset? at, string by, CancellationToken cancellationToken) =>
        ChangeAsync(id, ifMatch, by, AuditActions.IncidentFinalReported, current => current.IsOpen && current.FinalReportedAt is null
            ? current with { FinalReportedAt = at ?? clock.GetUtcNow() }
            : null, cancellationToken);

    public Task<IncidentUpdate> CloseAsync(string id, string? ifMatch, string by, CancellationToken cancellationToken) =>
        ChangeAsync(id, ifMatch, by, AuditActions.IncidentClosed, current => current.IsOpen
            ? current with { Status = IncidentStatuses.Closed, ClosedAt = clock.GetUtcNow() }
            : null, cancellationToken);

    private async Task<IncidentUpdate> ChangeAsync(string id, string? ifMatch, string by, string action, Func<Incident, Incident?> change, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var update = await store.UpdateAsync(id, ifMatch, change, cancellationToken);
        if (update is { Status: IncidentUpdateStatus.Changed, Incident: { } changed })
        {
            await audit.AppendAsync(new AuditEntry(changed.VendorId, action, by, changed.Id, After: new
            {
                status = changed.Status, preliminaryReportedAt = changed.PreliminaryReportedAt, finalReportedAt = changed.FinalReportedAt, closedAt = changed.ClosedAt,
            }), cancellationToken);
        }

        return update;
    }

    /// <summary>"inc-" + the Japan-time day we became aware + "-" + 6 random lowercase hex.</summary>
    private static string NewId(DateTimeOffset awareAt) =>
        $"inc-{IncidentClock.JapanDay(awareAt):yyyyMMdd}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    private static IncidentReport Normalized(IncidentReport report) => report with
    {
        Summary = report.Summary.Trim(),
        DataCategories = report.DataCategories.Distinct(StringComparer.Ordinal).ToList(),
        Cause = Blank(report.Cause),
        MeasuresTaken = Blank(report.MeasuresTaken),
        ReporterName = Blank(report.ReporterName),
        ReporterEmail = Blank(report.ReporterEmail),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {IncidentId} of vendor {VendorId} reported through {Channel}")]
    private partial void LogReported(string incidentId, string vendorId, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Nobody to mail about an incident of vendor {VendorId}: set Incidents:NotifyAddresses or the vendor's internal owner")]
    private partial void LogNobodyToTell(string vendorId);
}

/// <summary>The recorded incident, or the fields to correct (nothing was stored then).</summary>
public sealed record IncidentReportResult(Incident? Incident, IReadOnlyList<IncidentFieldError> Errors)
{
    public bool Succeeded => Incident is not null;

    public static IncidentReportResult Invalid(IReadOnlyList<IncidentFieldError> errors) => new(null, errors);
}
