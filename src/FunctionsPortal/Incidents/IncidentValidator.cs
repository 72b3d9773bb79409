using FunctionsPortal.Vendors;

namespace FunctionsPortal.Incidents;

/// <summary>Checks what a reporter states, with messages in both languages for the vendor form and the API.</summary>
public static class IncidentValidator
{
    /// <summary>The report's errors (field names as in JSON: summary, discoveredAt, …); none when it can be received.</summary>
    public static IReadOnlyList<IncidentFieldError> Validate(IncidentReport? report, DateTimeOffset now)
    {
        if (report is null)
        {
            return [new("report", "報告内容を入力してください。", "The report is required.")];
        }

        var errors = new List<IncidentFieldError>();
        if (string.IsNullOrWhiteSpace(report.Summary))
        {
            errors.Add(new("summary", "何が起きたかを入力してください。", "Say what happened."));
        }
        else if (report.Summary.Length > IncidentReport.MaxSummaryChars)
        {
            errors.Add(new("summary", $"{IncidentReport.MaxSummaryChars:N0}文字以内で入力してください。", $"Use at most {IncidentReport.MaxSummaryChars:N0} characters."));
        }

        if (report.DiscoveredAt == default)
        {
            errors.Add(new("discoveredAt", "発覚日時を入力してください。", "Say when it was discovered."));
        }
        else if (report.DiscoveredAt > now)
        {
            errors.Add(new("discoveredAt", "発覚日時が未来になっています。", "The discovery time is in the future."));
        }
        else if (report.DiscoveredAt.Year < JapaneseCalendar.FirstYear)
        {
            errors.Add(new("discoveredAt", "発覚日時が古すぎます。", "The discovery time is too long ago."));
        }

        if (report.OccurredAt is { } occurred && (occurred > now || occurred.Year < JapaneseCalendar.FirstYear))
        {
            errors.Add(new("occurredAt", "発生日時が正しくありません（未来の日時は入力できません）。", "The time it occurred is not valid (it cannot be in the future)."));
        }
        else if (report.OccurredAt > report.DiscoveredAt && report.DiscoveredAt != default)
        {
            errors.Add(new("occurredAt", "発生日時が発覚日時より後になっています。", "It cannot have occurred after it was discovered."));
        }

        if (report.DataCategories is null || report.DataCategories.Count == 0)
        {
            errors.Add(new("dataCategories", "漏えい等した情報の種類を1つ以上選んでください。", "Choose at least one kind of data involved."));
        }
        else if (report.DataCategories.FirstOrDefault(category => !VendorVocabulary.DataCategories.Contains(category)) is { } unknown)
        {
            errors.Add(new("dataCategories", $"不明な情報の種類です：{unknown}", $"Unknown data category: {unknown} (one of {string.Join(", ", VendorVocabulary.DataCategories)})."));
        }

        if (report.AffectedPeople is < 0 or > 1_000_000_000_000)
        {
            errors.Add(new("affectedPeople", "本人の数は0以上の数で入力してください（不明な場合は空欄）。", "The number of people must be 0 or more (leave it empty when unknown)."));
        }

        Text(errors, "cause", report.Cause, "原因", "The cause");
        Text(errors, "measuresTaken", report.MeasuresTaken, "講じた措置", "The measures taken");
        if (report.ReporterName is { Length: > 200 })
        {
            errors.Add(new("reporterName", "報告者名は200文字以内で入力してください。", "Use at most 200 characters for the reporter's name."));
        }

        if (!string.IsNullOrWhiteSpace(report.ReporterEmail) && !VendorValidator.IsEmail(report.ReporterEmail))
        {
            errors.Add(new("reporterEmail", "メールアドレスの形式が正しくありません。", "This is not an e-mail address."));
        }

        return errors;
    }

    private static void Text(List<IncidentFieldError> errors, string field, string? value, string ja, string en)
    {
        if (value is { Length: > IncidentReport.MaxTextChars })
        {
            errors.Add(new(field, $"{ja}は{IncidentReport.MaxTextChars:N0}文字以内で入力してください。", $"{en}: use at most {IncidentReport.MaxTextChars:N0} characters."));
        }
    }
}
