using FunctionsPortal.Mail;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Surveys;

/// <summary>
/// The one signature builder every composer uses: the organisation, contact and portal address from <c>Surveys</c>,
/// the department and phone from <c>Mail:Signature</c>.
/// </summary>
public sealed class PortalLetters(IOptions<SurveyOptions> surveys, IOptions<MailSignatureOptions> signature)
{
    public MailSignature Signature
    {
        get
        {
            var o = surveys.Value;
            var s = signature.Value;
            return new MailSignature(o.OrganisationJa, o.OrganisationEn, s.DepartmentJa, s.DepartmentEn, s.Phone, s.HoursJa, s.HoursEn, o.ContactEmail, o.PortalBaseUrl);
        }
    }

    public Uri PortalBaseUrl => surveys.Value.PortalBaseUrl;

    public OutgoingMail Write(MailRequest request, Letter letter)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BusinessLetter.Write(request.OutboxKey, letter, Signature);
    }
}

/// <summary>When a survey's open corrective actions fall due (the earliest), for the mail that announces them.</summary>
public interface IOpenActionDueDates
{
    Task<DateOnly?> EarliestOpenDueAsync(string vendorId, string assignmentKey, CancellationToken cancellationToken);
}
