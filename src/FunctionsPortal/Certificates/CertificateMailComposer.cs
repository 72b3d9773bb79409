using FunctionsPortal.Mail;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Certificates;

/// <summary>
/// The two mails of a certificate about to expire, each keyed by vendor, certificate and expiry date (kind
/// "{type}~{expiry yyyyMMdd}"): the vendor's request for the renewed certificate (owner "certv~{vendor}", to its
/// responsible officer) and the internal owner's warning (owner "cert~{vendor}", linking to the staff page). Neither is
/// sent when the certificate was renewed meanwhile (its date changed).
/// </summary>
public sealed class CertificateMailComposer(VendorRegistry registry, PortalLetters letters) : IMailComposer
{
    public const string OwnerPurpose = "certificate-expiry-owner";

    public const string VendorPurpose = "certificate-renewal-vendor";

    private const string OwnerPrefix = "cert~";

    private const string VendorPrefix = "certv~";

    public IReadOnlyCollection<string> Purposes { get; } = [OwnerPurpose, VendorPurpose];

    public static string OwnerOf(string vendorId) => OwnerPrefix + vendorId;

    public static string VendorOf(string vendorId) => VendorPrefix + vendorId;

    public static string KindOf(Certification certification)
    {
        ArgumentNullException.ThrowIfNull(certification);
        return $"{certification.Type}~{certification.ExpiresOn:yyyyMMdd}";
    }

    public async Task<OutgoingMail?> ComposeAsync(MailRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var toVendor = request.Purpose == VendorPurpose;
        var vendorId = request.Owner[(toVendor ? VendorPrefix : OwnerPrefix).Length..];
        if (await registry.RecordAsync(vendorId, cancellationToken) is not { } record
            || record.Vendor.Certifications.FirstOrDefault(certification => certification.ExpiresOn is not null && KindOf(certification) == request.Kind) is not { ExpiresOn: { } expires } certification)
        {
            return null; // renewed (a new date) or removed meanwhile: nothing to ask or warn of
        }

        return toVendor ? ToVendor(request, record, certification, expires) : ToOwner(request, record, certification, expires);
    }

    public Task OnSettledAsync(MailRequest request, MailDelivery delivery, CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Numbered(Certification certification, string ja) =>
        certification.Number is { } number ? string.Format(System.Globalization.CultureInfo.InvariantCulture, ja, number) : "";

    private OutgoingMail ToVendor(MailRequest request, VendorRecord record, Certification certification, DateOnly expires)
    {
        var vendor = record.Vendor;
        var name = certification.Name ?? certification.Type;
        var company = new LocalizedLine(vendor.LegalName.Ja, vendor.LegalName.En ?? vendor.LegalName.Ja);
        var contact = letters.Signature.ContactEmail;
        return letters.Write(request, new Letter(LetterAudience.Vendor, new MailAddressee(request.ToAddress, vendor.ResponsibleOfficer?.Name), company,
            $"【更新後の認証書ご提出のお願い】{name} / Please send us your renewed certificate: {name}",
            [
                $"貴社の第三者認証「{name}」{Numbered(certification, "（番号 {0}）")}は、有効期限が近づいております。個人データの取扱いを委託する際の確認事項として、当社では委託先の認証の有効性を確認しております。",
                $"つきましては、更新後の認証書（登録証の写し等）を下記期限までに {contact} 宛てにご提出くださいますようお願いいたします。更新されない場合も、その旨をご連絡ください。",
            ],
            [
                $"Your company's certificate \"{name}\"{Numbered(certification, " (number {0})")} is about to expire. As part of our supervision of the vendors that handle personal data for us, we keep a record of their certificates.",
                $"Please send a copy of the renewed certificate to {contact} by the date below, or let us know if it will not be renewed.",
            ],
            new LetterDate(expires, "現在の有効期限", "Current expiry date"),
            null));
    }

    private OutgoingMail ToOwner(MailRequest request, VendorRecord record, Certification certification, DateOnly expires)
    {
        var vendor = record.Vendor;
        var vendorId = record.Id;
        var name = certification.Name ?? certification.Type;
        var page = new Uri(letters.PortalBaseUrl, $"staff/vendors/{Uri.EscapeDataString(vendorId)}#certificates-title").ToString();
        return letters.Write(request, new Letter(LetterAudience.Staff, new MailAddressee(request.ToAddress, vendor.InternalOwner.Name), null,
            $"【認証期限のお知らせ】{vendor.LegalName.Ja} {name} / Certificate expiring: {vendor.LegalName.En ?? vendor.LegalName.Ja} {name}",
            [
                $"ご担当の委託先 {vendor.LegalName.Ja}（{vendorId}）の第三者認証「{name}」{Numbered(certification, "（番号 {0}）")}が有効期限を迎えます。",
                "委託先の受任者には更新後の認証書の提出を依頼しました。受領後は委託先ページで新しい有効期限を登録してください。期限を過ぎると、リスク区分の判定で認証は有効とみなされません。",
            ],
            [
                $"The certificate \"{name}\"{Numbered(certification, " (number {0})")} of {vendor.LegalName.En ?? vendor.LegalName.Ja} ({vendorId}) is about to expire.",
                "The vendor's responsible officer has been asked for the renewed certificate. Once received, record its new expiry date on the vendor's page. After the date, the risk tier no longer counts the certificate.",
            ],
            new LetterDate(expires, "有効期限", "Expiry date"),
            new LetterLink(page, "委託先ページ（職員用）", "The vendor's page (staff)")));
    }
}
