using FunctionsPortal.Checklists;
using FunctionsPortal.Evidence;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;

namespace FunctionsPortal.VendorPages.Sections;

/// <summary>
/// One save of a section page, applied to whatever draft is current (it may run again when another save came in
/// between): the answers typed, the items still true since last cycle, files added and removed.
/// </summary>
/// <param name="Answers">Per item shown: the new answer, or null to clear it.</param>
/// <param name="StillTrue">Items whose last-cycle answer is taken over where nothing new was typed.</param>
/// <param name="Added">Files stored with this post.</param>
/// <param name="Removed">Ids of files the vendor removed.</param>
/// <param name="LastCycle">Last cycle's sealed answers (null when nothing is taken over).</param>
/// <param name="At">When: the time carried-forward documents count as attached.</param>
internal sealed record SectionEdit(
    IReadOnlyDictionary<string, ItemAnswer?> Answers,
    IReadOnlyList<string> StillTrue,
    IReadOnlyList<EvidenceFile> Added,
    IReadOnlySet<string> Removed,
    SealedPayload? LastCycle,
    DateTimeOffset At)
{
    public Draft ApplyTo(Draft current, ResolvedChecklist checklist)
    {
        var answers = current.Answers.ToDictionary(StringComparer.Ordinal);
        var carried = current.CarriedForward.ToHashSet(StringComparer.Ordinal);
        var evidence = current.Evidence.Where(file => !Removed.Contains(file.Id)).Concat(Added).ToList();
        foreach (var (itemId, answer) in Answers)
        {
            carried.Remove(itemId);
            if (answer is null)
            {
                answers.Remove(itemId);
            }
            else
            {
                answers[itemId] = answer;
            }
        }

        foreach (var itemId in StillTrue)
        {
            carried.Add(itemId);
            if (!answers.ContainsKey(itemId) && LastCycle?.Answers.GetValueOrDefault(itemId) is { } last)
            {
                // "Still true" with nothing new typed: last cycle's answer, and its documents (same blobs, same hashes).
                answers[itemId] = last.ToItemAnswer();
                if (!evidence.Any(file => file.ItemId == itemId))
                {
                    evidence.AddRange(LastCycle.Evidence.Where(file => file.ItemId == itemId)
                        .Select(file => new EvidenceFile(file.Id, file.ItemId, file.FileName, file.ContentType, file.Size, file.Sha256, file.BlobName, At)));
                }
            }
        }

        SyncFileAnswers(checklist, answers, evidence);
        return current with { Answers = answers, CarriedForward = [.. carried.Order(StringComparer.Ordinal)], Evidence = evidence };
    }

    /// <summary>A file item is answered by its files: the answer lists them, and goes when the last one goes.</summary>
    private static void SyncFileAnswers(ResolvedChecklist checklist, Dictionary<string, ItemAnswer> answers, List<EvidenceFile> evidence)
    {
        foreach (var (_, item) in checklist.Items.Where(pair => pair.Item.AnswerType == AnswerTypes.File))
        {
            var files = evidence.Where(file => file.ItemId == item.Id).Select(file => file.Id).ToList();
            if (files.Count > 0)
            {
                answers[item.Id] = (answers.GetValueOrDefault(item.Id) ?? new ItemAnswer()) with { Files = files };
            }
            else if (answers.TryGetValue(item.Id, out var answer))
            {
                answer = answer with { Files = null };
                if (answer.Status is null && answer.Comment is null && answer.NaReason is null)
                {
                    answers.Remove(item.Id);
                }
                else
                {
                    answers[item.Id] = answer;
                }
            }
        }
    }
}
