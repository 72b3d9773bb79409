using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;

namespace FunctionsPortal.VendorPages.Landing;

/// <summary>
/// The landing's question count and time estimate. <see cref="Applicable"/> counts the same thing as the receipt's
/// answer count: the questions that apply to this vendor given its answers so far (a few appear only after an answer,
/// e.g. the certificate's details once a certification is chosen — <see cref="MayAdd"/> says how many more at most).
/// </summary>
public sealed record LandingCounts(int Applicable, int MayAdd, int Answered, int ToAnswer, int ToConfirm)
{
    /// <summary>Minutes for a question answered afresh.</summary>
    public const double MinutesPerQuestion = 2;

    /// <summary>
    /// Minutes for a question last cycle's answer covers: read it, tick 「今回も同じ」 or change it — a quarter of a fresh
    /// answer (one click and a check instead of finding the facts and a document).
    /// </summary>
    public const double MinutesPerCarriedForward = 0.5;

    /// <summary>The estimate of what is left, at least 5 minutes while anything is left (opening, review, attestation).</summary>
    public int Minutes => ToAnswer + ToConfirm == 0 ? 0 : Math.Max(5, (int)Math.Ceiling((ToAnswer * MinutesPerQuestion) + (ToConfirm * MinutesPerCarriedForward)));

    public static LandingCounts Of(VendorSession session, IReadOnlyDictionary<string, Submissions.SealedAnswer>? lastCycle)
    {
        ArgumentNullException.ThrowIfNull(session);
        var answers = session.Draft.Answers;
        var applicable = session.VisibleSections().SelectMany(section => section.Items).ToList();
        var applicableIds = applicable.Select(item => item.Id).ToHashSet(StringComparer.Ordinal);
        var mayAdd = session.Checklist is null ? 0 : session.Checklist.Sections.SelectMany(section => section.Items)
            .Count(item => !applicableIds.Contains(item.Id) && session.CanEverApply(item) && DependsOnAnswers(item));
        var open = applicable.Where(item => !answers.ContainsKey(item.Id)).ToList();
        var toConfirm = lastCycle is null ? 0 : open.Count(item => lastCycle.ContainsKey(item.Id));
        return new LandingCounts(applicable.Count, mayAdd, applicable.Count - open.Count, open.Count - toConfirm, toConfirm);
    }

    private static bool DependsOnAnswers(ChecklistItem item) => item.Applicability?.Any(OnAnswer) == true;

    private static bool OnAnswer(Condition condition) => condition.Answer is not null || (condition.Not is { } inner && OnAnswer(inner)) || condition.AnyOf?.Any(OnAnswer) == true;
}
