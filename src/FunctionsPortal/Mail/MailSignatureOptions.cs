using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Mail;

/// <summary>
/// The sender signature every mail ends with (section <c>Mail:Signature</c>): who writes, and a telephone number the
/// recipient can call to check that a mail is genuine. The organisation's name, the contact address and the portal's
/// address come from <c>Surveys</c> (one source for each).
/// </summary>
public sealed class MailSignatureOptions
{
    public const string SectionName = "Mail:Signature";

    [Required(AllowEmptyStrings = false, ErrorMessage = "Mail:Signature:DepartmentJa names the sending department (e.g. 個人情報保護管理室).")]
    public string DepartmentJa { get; set; } = "個人情報保護管理室";

    [Required(AllowEmptyStrings = false, ErrorMessage = "Mail:Signature:DepartmentEn names the sending department in English.")]
    public string DepartmentEn { get; set; } = "Privacy Office";

    /// <summary>A number the vendor can call, not only read: the check for a doubtful mail.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Mail:Signature:Phone is the number vendors call to check a mail (e.g. 03-1234-5678).")]
    [RegularExpression(@"^\+?[0-9][0-9 ()\-]{6,20}$", ErrorMessage = "Mail:Signature:Phone must be a telephone number (digits, spaces, '-', '(', ')', optional leading '+').")]
    public string Phone { get; set; } = "03-0000-0000";

    [Required(AllowEmptyStrings = false, ErrorMessage = "Mail:Signature:HoursJa says when the phone is answered.")]
    public string HoursJa { get; set; } = "平日 9:00〜17:30";

    [Required(AllowEmptyStrings = false, ErrorMessage = "Mail:Signature:HoursEn says when the phone is answered.")]
    public string HoursEn { get; set; } = "weekdays 9:00-17:30 JST";
}

/// <summary>Checks <see cref="MailSignatureOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateMailSignatureOptions : IValidateOptions<MailSignatureOptions>;
