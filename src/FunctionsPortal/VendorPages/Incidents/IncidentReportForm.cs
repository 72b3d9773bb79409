using System.Globalization;
using System.Text;
using FunctionsPortal.Checklists;
using FunctionsPortal.Hosting;
using FunctionsPortal.Incidents;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.VendorPages.Incidents;

/// <summary>
/// The incident report form as posted, field by field as typed (a refused form comes back with every value kept). The
/// vendor's form and the staff form share it; staff also say when we became aware. Field names are the JSON names the
/// core's errors use, so an error lands next to its field.
/// </summary>
public sealed record IncidentReportForm
{
    public const string Summary = "summary";
    public const string DiscoveredAt = "discoveredAt";
    public const string OccurredAt = "occurredAt";
    public const string AwareAt = "awareAt";
    public const string DataCategories = "dataCategories";
    public const string AffectedPeople = "affectedPeople";
    public const string SensitiveData = "sensitiveData";
    public const string FinancialHarm = "financialHarm";
    public const string UnlawfulPurpose = "unlawfulPurpose";
    public const string Cause = "cause";
    public const string MeasuresTaken = "measuresTaken";
    public const string Documents = "documents";
    public const string ReporterName = "reporterName";
    public const string ReporterEmail = "reporterEmail";

    /// <summary>The three questions' answers; "unsure" counts as the trigger possibly holding (おそれ).</summary>
    public const string Yes = "yes";
    public const string No = "no";
    public const string Unsure = "unsure";

    /// <summary>The date-and-time inputs send this (a datetime-local input), read as Japan time.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm";

    public static readonly IReadOnlyList<string> TriggerQuestions = [SensitiveData, FinancialHarm, UnlawfulPurpose];

    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<string> Categories { get; init; } = [];

    public string Value(string field) => Values.GetValueOrDefault(field, "");

    public static IncidentReportForm Read(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        string[] fields = [Summary, DiscoveredAt, OccurredAt, AwareAt, AffectedPeople, SensitiveData, FinancialHarm, UnlawfulPurpose, Cause, MeasuresTaken, ReporterName, ReporterEmail];
        return new IncidentReportForm
        {
            // The last value wins when a field is sent twice; text is capped well above what the core accepts, so its message still shows.
            Values = fields.ToDictionary(field => field, field => Capped(form[field].LastOrDefault() ?? ""), StringComparer.Ordinal),
            Categories = [.. form[DataCategories].Where(category => category is not null).Select(category => category!).Distinct(StringComparer.Ordinal).Take(20)],
        };
    }

    /// <summary>
    /// The report, or what to correct: the form's own checks (dates, the number, the three questions) and the core's
    /// (<see cref="IncidentValidator"/>), together, so one round trip shows every problem.
    /// </summary>
    public (IncidentReport Report, DateTimeOffset? AwareAt, IReadOnlyList<Notice> Errors) ToReport(DateTimeOffset now, bool withAwareAt)
    {
        var errors = new List<Notice>();
        var discovered = Time(DiscoveredAt, required: true, errors, "発覚日時", "When it was discovered");
        var occurred = Time(OccurredAt, required: false, errors, "発生日時", "When it occurred");
        var aware = withAwareAt ? Time(AwareAt, required: false, errors, "当社が知った日時", "When we became aware") : null;
        if (aware is { } awareAt && awareAt > now)
        {
            errors.Add(Notice.Error(AwareAt, "当社が知った日時が未来になっています。", "When we became aware is in the future."));
        }

        long? people = null;
        var peopleText = Normalized(Value(AffectedPeople)).Replace(",", "", StringComparison.Ordinal).Replace("人", "", StringComparison.Ordinal).Trim();
        if (peopleText.Length > 0)
        {
            if (long.TryParse(peopleText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                people = parsed;
            }
            else
            {
                errors.Add(Notice.Error(AffectedPeople, "本人の数は数字で入力してください（概数で構いません。不明な場合は空欄）。", "Give the number of people as a number (an estimate is fine; leave it empty when unknown)."));
            }
        }

        foreach (var question in TriggerQuestions.Where(question => Value(question) is not (Yes or No or Unsure)))
        {
            errors.Add(Notice.Error(question, "「はい」「いいえ」「わからない」のいずれかを選んでください。", "Choose yes, no or not sure."));
        }

        var report = new IncidentReport
        {
            Summary = Value(Summary),
            DiscoveredAt = discovered ?? default,
            OccurredAt = occurred,
            DataCategories = Categories,
            AffectedPeople = people,
            SensitiveData = MayHold(SensitiveData),
            FinancialHarm = MayHold(FinancialHarm),
            UnlawfulPurpose = MayHold(UnlawfulPurpose),
            Cause = Value(Cause),
            MeasuresTaken = Value(MeasuresTaken),
            ReporterName = Value(ReporterName),
            ReporterEmail = Value(ReporterEmail),
        };

        // The core's checks, except where the form already named the problem with the field (a date it could not read, say).
        foreach (var error in IncidentValidator.Validate(report, now).Where(error => errors.All(known => known.ItemId != error.Field)))
        {
            errors.Add(Notice.Error(error.Field, error.Ja, error.En));
        }

        return (report, aware, errors);
    }

    /// <summary>The data categories to offer: the vendor's registered ones first, then the rest of the vocabulary ("none" is not a category of a leak).</summary>
    public static IReadOnlyList<string> Offered(IReadOnlyList<string> registered) =>
        [.. registered.Where(VendorVocabulary.DataCategories.Contains).Concat(VendorVocabulary.DataCategories.Order(StringComparer.Ordinal)).Where(category => category != "none").Distinct(StringComparer.Ordinal)];

    public static Localized CategoryLabel(string category) => category switch
    {
        "personal" => new("個人データ", "Personal data"),
        "sensitive" => new("要配慮個人情報", "Sensitive personal data"),
        "credit-card" => new("クレジットカード情報", "Credit card data"),
        "confidential-a" => new("機密A", "Confidential A"),
        "confidential-b" => new("機密B", "Confidential B"),
        _ => new(category, category),
    };

    /// <summary>An instant as the form shows it (Japan time).</summary>
    public static string Input(DateTimeOffset? at) => at?.ToOffset(PageText.Japan).ToString(TimeFormat, CultureInfo.InvariantCulture) ?? "";

    private bool MayHold(string question) => Value(question) is Yes or Unsure;

    private DateTimeOffset? Time(string field, bool required, List<Notice> errors, string ja, string en)
    {
        var text = Normalized(Value(field)).Trim();
        if (text.Length == 0)
        {
            if (required)
            {
                errors.Add(Notice.Error(field, $"{ja}を入力してください。", $"{en} is required."));
            }

            return null;
        }

        string[] formats = [TimeFormat, "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy/MM/dd HH:mm", "yyyy/M/d H:mm", "yyyy-MM-dd", "yyyy/MM/dd", "yyyy/M/d"];
        // Years outside 1900–9000 are refused here: an offset applied to year 1 or 9999 would leave the calendar.
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) && local.Year is >= 1900 and <= 9000)
        {
            return new DateTimeOffset(local, PageText.Japan);
        }

        errors.Add(Notice.Error(field, $"{ja}は「2026-04-01 09:30」の形で入力してください。", $"{en}: use the form 2026-04-01 09:30."));
        return null;
    }

    /// <summary>Full-width digits and punctuation (as a Japanese keyboard types them) read as their ASCII forms.</summary>
    private static string Normalized(string text) => text.Normalize(NormalizationForm.FormKC);

    private static string Capped(string text) => text.Length > IncidentReport.MaxTextChars + 100 ? text[..(IncidentReport.MaxTextChars + 100)] : text;
}
