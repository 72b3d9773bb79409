using System.Globalization;
using FunctionsPortal.Mail;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Certificates;

/// <summary>
/// The internal owner's warning that a vendor's certificate expires soon (outbox owner "cert~{vendor}", kind
/// "{type}~{expiry yyyyMMdd}"). Not sent when the certificate was renewed meanwhile (its date changed). Links to the staff page.
/// </summary>
public sealed class CertificateMailComposer(VendorRegistry registry, IOptions<SurveyOptions> options) : IMailComposer
{
    public const string OwnerPurpose = "certificate-expiry-owner";

    private const string OwnerPrefix = "cert~";

    public IReadOnlyCollection<string> Purposes { get; } = [OwnerPurpose];

    public static string OwnerOf(string vendorId) => OwnerPrefix + vendorId;

    public static string KindOf(Certification certification)
    {
        ArgumentNullException.ThrowIfNull(certification);
        return $"{certification.Type}~{certification.ExpiresOn:yyyyMMdd}";
    }

    public async Task<OutgoingMail?> ComposeAsync(MailRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var vendorId = request.Owner[OwnerPrefix.Length..];
        if (await registry.RecordAsync(vendorId, cancellationToken) is not { } record
            || record.Vendor.Certifications.FirstOrDefault(certification => certification.ExpiresOn is not null && KindOf(certification) == request.Kind) is not { ExpiresOn: { } expires } certification)
        {
            return null; // renewed (a new date) or removed meanwhile: nothing to warn of
        }

        var vendor = record.Vendor;
        var name = certification.Name ?? certification.Type;
        var page = new Uri(options.Value.PortalBaseUrl, $"staff/vendors/{Uri.EscapeDataString(vendorId)}#certificates-title").ToString();
        return SurveyMailComposer.Mail(request, new MailAddressee(request.ToAddress, vendor.InternalOwner.Name),
            $"【認証期限のお知らせ】{vendor.LegalName.Ja} {name} / Certificate expiring: {vendor.LegalName.En ?? vendor.LegalName.Ja} {name}",
            [
                $"{vendor.InternalOwner.Name} 様",
                $"ご担当の委託先 {vendor.LegalName.Ja}（{vendorId}）の第三者認証「{name}」{(certification.Number is { } number ? $"（番号 {number}）" : "")}は、{expires.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)}に有効期限を迎えます。",
                "委託先に更新後の認証書の提出を依頼し、受領後は委託先ページで新しい有効期限を登録してください。期限を過ぎると、リスク区分の判定で認証は有効とみなされません。",
            ],
            [
                $"Dear {vendor.InternalOwner.Name},",
                $"The certificate \"{name}\"{(certification.Number is { } numberEn ? $" (number {numberEn})" : "")} of {vendor.LegalName.En ?? vendor.LegalName.Ja} ({vendorId}) expires on {expires.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}.",
                "Please ask the vendor for the renewed certificate and, once received, record its new expiry date on the vendor's page. After the date, the risk tier no longer counts the certificate.",
            ],
            page, "委託先ページを開く", "Open the vendor's page");
    }

    public Task OnSettledAsync(MailRequest request, MailDelivery delivery, CancellationToken cancellationToken) => Task.CompletedTask;
}
