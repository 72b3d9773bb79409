using System.Net.Mail;
using FunctionsPortal.Hosting;
using FunctionsPortal.Checklists;
using FunctionsPortal.Scoring;

namespace FunctionsPortal.Responses;

/// <summary>
/// What stands between a draft and a submission, item by item: required answers missing, answers the checklist does
/// not accept (N/A without a reason, say), and evidence missing where the answer claims a measure is in place
/// (○/△, or a choice that earns points — × and N/A need no proof).
/// </summary>
public static class ReadinessCheck
{
    public static IReadOnlyList<Notice> Problems(VendorSession session, Draft draft)
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
            problems.Add(invalid.Message.Contains("reason", StringComparison.Ordinal)
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
            problems.Add(Notice.Error("attest", "宣誓のチェックボックスにチェックを入れてください。", "Tick the box to attest the statement."));
        }

        return problems;
    }

    private static bool ClaimsMeasure(ChecklistItem item, ItemAnswer answer) =>
        item.AnswerType switch
        {
            AnswerTypes.Status => answer.Status is StatusAnswers.Done or StatusAnswers.Partial,
            AnswerTypes.SingleChoice or AnswerTypes.MultipleChoice => !answer.IsNotApplicable
                && (item.Choices ?? []).Where(choice => answer.Choices?.Contains(choice.Id) == true).Any(choice => choice.Points > 0),
            AnswerTypes.File => true,
            _ => !answer.IsNotApplicable,
        };
}
