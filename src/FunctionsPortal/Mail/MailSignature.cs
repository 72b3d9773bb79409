namespace FunctionsPortal.Mail;

/// <summary>
/// Who signs a mail and how the recipient checks it is genuine: by the link's address and by calling us on a number
/// they can also find elsewhere — never by trusting the mail itself.
/// </summary>
public sealed record MailSignature(
    string OrganisationJa,
    string OrganisationEn,
    string DepartmentJa,
    string DepartmentEn,
    string Phone,
    string HoursJa,
    string HoursEn,
    string ContactEmail,
    Uri PortalBaseUrl)
{
    public const string Rule = "――――――――――――――――――――――――――――――";

    /// <summary>What a link in a genuine mail starts with (the portal's address, with its trailing slash).</summary>
    public string LinkPrefix => PortalBaseUrl.GetLeftPart(UriPartial.Authority) + "/";

    public IReadOnlyList<string> Ja =>
    [
        $"{OrganisationJa}　{DepartmentJa}",
        $"電話：{Phone}（{HoursJa}）",
        $"メール：{ContactEmail}",
        $"委託先管理ポータル：{LinkPrefix}",
        $"【このメールの確認方法】当社からのメールのリンクは、必ず {LinkPrefix} で始まります。それ以外のアドレスへのリンクは開かないでください。当社がメールでパスワードや口座情報をお尋ねすることはありません。" +
        $"ご不安な場合は、このメールへの返信やメール内のリンクではなく、契約書等でご存じの当社窓口、または {Phone} までお電話でご確認ください。",
    ];

    public IReadOnlyList<string> En =>
    [
        $"{DepartmentEn}, {OrganisationEn}",
        $"Phone: {Phone} ({HoursEn})",
        $"E-mail: {ContactEmail}",
        $"Vendor portal: {LinkPrefix}",
        $"How to check this mail: links in our mails always start with {LinkPrefix}. Do not open a link to any other address. We never ask for passwords or bank details by mail. " +
        $"If in doubt, do not reply or use the links: call your usual contact at our company (as in your contract) or {Phone}.",
    ];
}
