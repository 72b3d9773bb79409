using FunctionsPortal.Checklists;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.DemoData;

/// <summary>
/// Three earlier plan periods of accepted, scored annual surveys for every demo vendor (no subcontractors), so the local
/// dashboard shows trends and the previous-cycle comparison at once: pick last year's period and it compares with the
/// year before, with grades moving both ways. Only the assignments and their score briefs are seeded (no sealed
/// answers); creating them again is a no-op (deterministic keys).
/// </summary>
internal sealed class DemoTrends(AssignmentStore assignments, VendorRegistry registry, ChecklistLibrary checklists, IOptions<SurveyOptions> options, TimeProvider timeProvider)
{
    /// <summary>Per vendor (in id order) and years back (1, 2, 3): the percentage scored. One improves, one declines, one holds.</summary>
    private static readonly decimal[][] Percentages = [[92, 81, 70], [58, 71, 84], [77, 76, 79], [88, 64, 90]];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await checklists.ResolveAsync("annual-lite", 1, cancellationToken) is not { } checklist)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(SurveyLinks.Japan).DateTime);
        var vendors = (await registry.AllAsync(cancellationToken))
            .Where(view => view.Id.StartsWith("demo-", StringComparison.Ordinal) && view.Vendor.ParentId is null)
            .OrderBy(view => view.Id, StringComparer.Ordinal).ToList();
        var history = new List<Assignment>();
        foreach (var (view, index) in vendors.Select((view, index) => (view, index)))
        {
            var current = PlanPeriod.Containing(view, today, options.Value.DefaultAnniversaryMonth);
            for (var back = 1; back <= 3; back++)
            {
                var start = current.Start.AddYears(-back);
                var percentage = Percentages[index % Percentages.Length][back - 1];
                var grade = Scoring.GradeBands.Default.GradeFor(percentage);
                var created = new DateTimeOffset(start.ToDateTime(new TimeOnly(9, 0)), SurveyLinks.Japan);
                history.Add(new Assignment
                {
                    Cycle = SurveyCycles.Plan(start),
                    VendorId = view.Id,
                    Kind = SurveyKinds.Annual,
                    ChecklistId = "annual-lite",
                    ChecklistVersion = 1,
                    DueOn = start.AddDays(options.Value.DefaultDueDays),
                    Status = AssignmentStatus.Accepted,
                    InvitedAt = created,
                    CreatedAt = created,
                    History = [new StatusChange(AssignmentStatus.UnderReview, AssignmentStatus.Accepted, created.AddDays(40), "demo-data", "Demo: an earlier period, accepted")],
                    Segment = AssignmentStore.SegmentOf(view),
                    Score = new AssignmentScore(1, percentage >= 90 ? Scoring.Verdicts.Passed : percentage >= 60 ? Scoring.Verdicts.PassedWithFindings : Scoring.Verdicts.NeedsCorrection,
                        percentage, grade, percentage < 60,
                        [.. checklist.Sections.Select((section, number) => new SectionPercentage(section.Id, section.Title.Ja, section.Title.En, Math.Clamp(percentage + (((number * 13) + index) % 21) - 10, 0, 100)))]),
                });
            }
        }

        await assignments.CreateManyAsync(history, cancellationToken);
    }
}
