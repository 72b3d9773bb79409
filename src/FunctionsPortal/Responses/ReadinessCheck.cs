using System.Net.Mail;
using FunctionsPortal.Hosting;
using FunctionsPortal.Checklists;
using FunctionsPortal.Scoring;

namespace FunctionsPortal.Responses;

/// <summary>
/// What stands between a draft and a submission, item by item: required answers missing, answers the checklist does
/// not accept (N/A without a reason, say), and evidence missing where the answer claims a measure is in place
/// (○/△, or a choice that earns points — × and N/A need no proof); and the ○/△/× ledger: a △ needs its planned date
/// (after today) and measure, a × on a non-critical item its reason and either a plan or a request to accept the risk.
/// </summary>
public static class ReadinessCheck
{
    /// <summary>Everything still missing or wrong in the draft; a planned date must lie after <paramref name="today"/> (Japan).</summary>
    public static IReadOnlyList<Notice> Problems(VendorSession session, Draft draft, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(draft);
        if (session.Checklist is not { } checklist)
        {
            return [];
        }

        var problems = new List<Notice>();
        var score = ScoringEngine.Score(checklist, session.Profile, draft.Answers);
        foreach (var itemId in score.MissingRequired)
        {
            problems.Add(checklist.FindItem(itemId)?.AnswerType == AnswerTypes.File
                ? Notice.Error(itemId, "ファイルを添付してください。", "Attach the file asked for.")
                : Notice.Error(itemId, "回答が必要です。", "An answer is required."));
        }

        foreach (var invalid in score.InvalidAnswers)
        {
            problems.Add(invalid.Message == ScoringEngine.ConditionsMissing
                ? Notice.Error(invalid.ItemId, "条件付きで同意する場合は、その条件を記入してください。", "State the conditions of your agreement.")
                : invalid.Message.Contains("reason", StringComparison.Ordinal)
                ? Notice.Error(invalid.ItemId, "「該当なし」の理由を記入してください。", "Give the reason for N/A.")
                : Notice.Error(invalid.ItemId, "この回答は受け付けられません。選び直してください。", invalid.Message));
        }

        foreach (var (_, item) in checklist.Items)
        {
            if (item.Evidence == "required" && Applicability.Applies(item, session.Profile, draft.Answers)
                && draft.Answers.TryGetValue(item.Id, out var answer) && ClaimsMeasure(item, answer) && !draft.EvidenceFor(item.Id).Any()
                && !problems.Any(problem => problem.ItemId == item.Id))
            {
                problems.Add(Notice.Error(item.Id, "裏付けとなる資料を添付してください。", "Attach a document that shows this."));
            }
        }

        foreach (var (_, item) in checklist.Items)
        {
            if (draft.Answers.TryGetValue(item.Id, out var answer) && Applicability.Applies(item, session.Profile, draft.Answers))
            {
                problems.AddRange(LedgerProblems(item, answer, today));
            }
        }

        var order = checklist.Items.Select((pair, index) => (pair.Item.Id, index)).ToDictionary(pair => pair.Id, pair => pair.index, StringComparer.Ordinal);
        return problems.OrderBy(problem => order.GetValueOrDefault(problem.ItemId ?? "", int.MaxValue)).ToList();
    }

    /// <summary>The officer's attestation: name, title, a plausible e-mail address and the ticked statement.</summary>
    public static IReadOnlyList<Notice> OfficerProblems(string? name, string? title, string? email, bool attested)
    {
        var problems = new List<Notice>();
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add(Notice.Error("officer-name", "責任者の氏名を入力してください。", "Enter the responsible officer's name."));
        }

        if (string.IsNullOrWhiteSpace(title))
        {
            problems.Add(Notice.Error("officer-title", "責任者の役職を入力してください。", "Enter the responsible officer's title."));
        }

        if (string.IsNullOrWhiteSpace(email) || !MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim())
        {
            problems.Add(Notice.Error("officer-email", "責任者のメールアドレスを正しく入力してください。", "Enter the responsible officer's e-mail address."));
        }

        if (!attested)
        {
            problems.Add(Notice.Error("attest", "誓約のチェックボックスにチェックを入れてください。", "Tick the box to attest the statement."));
        }

        return problems;
    }

    /// <summary>What a △ or × answer still lacks in the ledger fields (one notice per field, in the order of the form).</summary>
    public static IEnumerable<Notice> LedgerProblems(ChecklistItem item, ItemAnswer answer, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(answer);
        var isPartial = item.AnswerType == AnswerTypes.Status && answer.Status == StatusAnswers.Partial;
        var isNotDone = item.AnswerType == AnswerTypes.Status && answer.Status == StatusAnswers.NotDone && !item.Critical;
        if (!isPartial && !isNotDone)
        {
            yield break;
        }

        if (isNotDone && string.IsNullOrWhiteSpace(answer.Reason))
        {
            yield return Notice.Error(item.Id, "未対応の理由を記入してください。", "Give the reason it is not done.");
        }

        var hasPlan = answer.PlannedOn is not null || !string.IsNullOrWhiteSpace(answer.Measure);
        if (isNotDone && answer.AcceptRisk == true)
        {
            if (hasPlan)
            {
                yield return Notice.Error(item.Id, "対応予定（予定日・対応内容）と残存リスクの受容依頼は、どちらか一方のみご記入ください。", "Give either a plan (date and measure) or a request to accept the residual risk, not both.");
            }

            yield break;
        }

        if (isNotDone && !hasPlan)
        {
            yield return Notice.Error(item.Id, "対応予定日と対応内容を記入するか、「残存リスクの受容を依頼する」にチェックを入れてください。", "Give a planned date and the measure, or tick \"ask us to accept the residual risk\".");
            yield break;
        }

        if (answer.PlannedOn is not { } plannedOn)
        {
            yield return Notice.Error(item.Id, "対応予定日を記入してください。", "Give the planned completion date.");
        }
        else if (plannedOn <= today)
        {
            yield return Notice.Error(item.Id, "対応予定日には明日以降の日付を記入してください。", "The planned completion date must be after today.");
        }

        if (string.IsNullOrWhiteSpace(answer.Measure))
        {
            yield return Notice.Error(item.Id, "対応内容（予定している措置）を記入してください。", "Describe the measure you plan.");
        }
    }

    private static bool ClaimsMeasure(ChecklistItem item, ItemAnswer answer) =>
        item.AnswerType switch
        {
            AnswerTypes.Status => answer.Status is StatusAnswers.Done or StatusAnswers.Partial,
            AnswerTypes.Agreement => answer.Status is AgreementAnswers.Agree or AgreementAnswers.AgreeWithConditions,
            AnswerTypes.SingleChoice or AnswerTypes.MultipleChoice => !answer.IsNotApplicable
                && (item.Choices ?? []).Where(choice => answer.Choices?.Contains(choice.Id) == true).Any(choice => choice.Points > 0),
            AnswerTypes.File => true,
            _ => !answer.IsNotApplicable,
        };
}
