using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Certificates;

/// <summary>
/// Timer function (daily, 09:00 in Japan): for each certificate that expires within Certificates:WarnDaysBeforeExpiry
/// days, asks the vendor's responsible officer for the renewed certificate and warns its internal owner. The registry's certificate-expiry index finds the vendors (one range query,
/// no scan); each is then read once. The outbox row is keyed by vendor, certificate and expiry date, so running twice
/// (or daily through the window) sends each warning once, and a renewed certificate (a new date) is warned of afresh.
/// </summary>
internal sealed partial class CheckCertificatesJob(
    VendorRegistry registry, MailOutbox outbox, IOptions<CertificateOptions> options, TimeProvider clock, ILogger<CheckCertificatesJob> logger) : IFunctionJob
{
    public const string FunctionName = "CheckCertificates";

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var warned = await WarnAsync(cancellationToken);
        LogDone(warned);
    }

    /// <summary>Queues the warnings due today; returns how many certificates are in the window (sent now or before).</summary>
    public async Task<int> WarnAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(SurveyLinks.Japan).DateTime);
        var warnDays = options.Value.WarnDaysBeforeExpiry;

        // The index is by UTC day, ours by Japan's: one day more never misses a certificate (the window below decides).
        var candidates = (await registry.AttentionAsync(warnDays + 1, cancellationToken))
            .Where(attention => attention.CertificationExpiresOn is not null)
            .Select(attention => attention.VendorId)
            .Distinct(StringComparer.Ordinal);
        var warned = 0;
        foreach (var vendorId in candidates)
        {
            if (await registry.RecordAsync(vendorId, cancellationToken) is not { } record || record.Vendor.LifecycleStatus == "terminated")
            {
                continue;
            }

            var owner = record.Vendor.InternalOwner;
            var officer = record.Vendor.ResponsibleOfficer;
            foreach (var certification in record.Vendor.Certifications.Where(certification => CertificateState.For(certification, today, warnDays).Name == CertificateState.Expiring))
            {
                warned++;
                var kind = CertificateMailComposer.KindOf(certification);
                if (VendorValidator.IsEmail(officer?.Email))
                {
                    await outbox.DeliverAsync(new MailRequest(CertificateMailComposer.VendorOf(vendorId), kind, CertificateMailComposer.VendorPurpose, officer!.Email), cancellationToken);
                }
                else
                {
                    LogNoOfficer(vendorId);
                }

                if (VendorValidator.IsEmail(owner?.Email))
                {
                    await outbox.DeliverAsync(new MailRequest(CertificateMailComposer.OwnerOf(vendorId), kind, CertificateMailComposer.OwnerPurpose, owner!.Email), cancellationToken);
                }
                else
                {
                    LogNoOwner(vendorId);
                }
            }
        }

        return warned;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Certificates checked: {Warned} certificate(s) expiring within the warning window (each officer and owner is mailed once)")]
    private partial void LogDone(int warned);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vendor {VendorId} has a certificate about to expire but no responsible officer with a valid e-mail address: only its internal owner is told")]
    private partial void LogNoOfficer(string vendorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vendor {VendorId} has a certificate about to expire but no internal owner with a valid e-mail address: nobody was warned")]
    private partial void LogNoOwner(string vendorId);
}
