using System.Globalization;
using FunctionsPortal.Hosting;
using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using Microsoft.Extensions.Primitives;

namespace FunctionsPortal.VendorPages.Sections;

/// <summary>
/// Reads one section's answers from a posted form. Field names are <c>a.{item}.{part}</c> (status — ○/△/× or the
/// agreement answer —, choice, text — also an agreement's conditions, kept only with "agree with conditions" —,
/// number, date, na, comment, still, and the ledger's planned, measure, reason, accept); the items a page showed are
/// listed in <c>items</c>, so a blank field on the page clears an answer while items on other pages are left alone.
/// The ledger fields are kept only for the answer they belong to (△: plan; × on a non-critical item: reason and a plan
/// or a request to accept the risk), so switching to ○ leaves no stale plan behind.
/// </summary>
public static class AnswerForm
{
    public const int MaxTextLength = 4000;

    public static string Field(string itemId, string part) => $"a.{itemId}.{part}";

    public static ParsedSection Parse(IFormCollection form, IReadOnlyList<ChecklistItem> pageItems, Draft draft)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(pageItems);
        ArgumentNullException.ThrowIfNull(draft);
        var shown = form["items"].SelectMany(value => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        var answers = new Dictionary<string, ItemAnswer?>(StringComparer.Ordinal);
        var stillTrue = new List<string>();
        var problems = new List<Notice>();
        foreach (var item in pageItems.Where(item => shown.Contains(item.Id)))
        {
            string? Value(string part) => Clean(form[Field(item.Id, part)]);
            var answer = new ItemAnswer
            {
                Status = item.AnswerType is AnswerTypes.Status or AnswerTypes.Agreement || item.NaAllowed ? Known(Value("status"), item) : null,
                Choices = item.AnswerType is AnswerTypes.SingleChoice or AnswerTypes.MultipleChoice
                    ? form[Field(item.Id, "choice")].OfType<string>().Where(id => item.Choices?.Any(choice => choice.Id == id) == true).Distinct(StringComparer.Ordinal).ToList()
                    : null,
                Text = item.AnswerType == AnswerTypes.Text || (item.AnswerType == AnswerTypes.Agreement && Value("status") == AgreementAnswers.AgreeWithConditions) ? Value("text") : null,
                NaReason = Value("na"),
                Comment = Value("comment"),
                Files = item.AnswerType == AnswerTypes.File ? draft.EvidenceFor(item.Id).Select(file => file.Id).ToList() : null,
            };

            if (item.AnswerType == AnswerTypes.Number && Value("number") is { } number)
            {
                if (decimal.TryParse(number.Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
                {
                    answer = answer with { Number = parsed };
                }
                else
                {
                    problems.Add(Notice.Error(item.Id, $"「{number}」は数値として読めません。", $"'{number}' is not a number."));
                }
            }

            if (item.AnswerType == AnswerTypes.Date && Value("date") is { } date)
            {
                if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    answer = answer with { Date = parsed };
                }
                else
                {
                    problems.Add(Notice.Error(item.Id, $"「{date}」は日付（YYYY-MM-DD）として読めません。", $"'{date}' is not a date (YYYY-MM-DD)."));
                }
            }

            if (LedgerFor(item, answer.Status) is { } ledger)
            {
                var planned = Value("planned");
                DateOnly? plannedOn = null;
                if (planned is not null)
                {
                    if (DateOnly.TryParseExact(planned, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                    {
                        plannedOn = parsed;
                    }
                    else
                    {
                        problems.Add(Notice.Error(item.Id, $"対応予定日「{planned}」は日付（YYYY-MM-DD）として読めません。", $"The planned date '{planned}' is not a date (YYYY-MM-DD)."));
                    }
                }

                answer = answer with
                {
                    PlannedOn = plannedOn,
                    Measure = Value("measure"),
                    Reason = ledger == Ledger.NotDone ? Value("reason") : null,
                    AcceptRisk = ledger == Ledger.NotDone && form[Field(item.Id, "accept")].Count > 0 ? true : null,
                };
            }

            if (answer.IsNotApplicable)
            {
                // A 該当なし answer is only the status and its reason; stray choices or text would contradict it.
                answer = answer with { Choices = null, Text = null, Number = null, Date = null };
            }

            answers[item.Id] = IsBlank(answer) ? null : answer;
            if (form[Field(item.Id, "still")].Count > 0)
            {
                stillTrue.Add(item.Id);
            }
        }

        return new ParsedSection(answers, stillTrue, problems);
    }

    /// <summary>Which ledger fields an answer asks for: △ a plan; × on a non-critical item a reason and a plan or a risk request; otherwise none.</summary>
    public static Ledger? LedgerFor(ChecklistItem item, string? status)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.AnswerType != AnswerTypes.Status ? null
            : status == StatusAnswers.Partial ? Ledger.Partial
            : status == StatusAnswers.NotDone && !item.Critical ? Ledger.NotDone
            : null;
    }

    private static string? Known(string? status, ChecklistItem item) =>
        status switch
        {
            StatusAnswers.NotApplicable when item.NaAllowed => status,
            StatusAnswers.Done or StatusAnswers.Partial or StatusAnswers.NotDone when item.AnswerType == AnswerTypes.Status => status,
            AgreementAnswers.Agree or AgreementAnswers.AgreeWithConditions or AgreementAnswers.Disagree when item.AnswerType == AnswerTypes.Agreement => status,
            _ => null,
        };

    private static string? Clean(StringValues values)
    {
        var value = values.LastOrDefault()?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return value.Length > MaxTextLength ? value[..MaxTextLength] : value;
    }

    private static bool IsBlank(ItemAnswer answer) =>
        answer.Status is null && answer.Choices is not { Count: > 0 } && answer.Text is null && answer.Number is null && answer.Date is null
        && answer.Files is not { Count: > 0 } && answer.NaReason is null && answer.Comment is null;
}

/// <summary>The ledger fields an answer carries (seed 004's ○/△/× risk ledger).</summary>
public enum Ledger
{
    /// <summary>△: the planned completion date and the measure.</summary>
    Partial,

    /// <summary>× on a non-critical item: the reason, and a plan or a request that the residual risk be accepted.</summary>
    NotDone,
}

/// <param name="Answers">Per shown item: the new answer, or null to clear it.</param>
/// <param name="StillTrue">Items whose "still true?" box was ticked: last cycle's answer is taken where nothing new was given.</param>
/// <param name="Problems">Values that could not be read (a number or date typed wrongly); those answers are not changed.</param>
public sealed record ParsedSection(IReadOnlyDictionary<string, ItemAnswer?> Answers, IReadOnlyList<string> StillTrue, IReadOnlyList<Notice> Problems);
