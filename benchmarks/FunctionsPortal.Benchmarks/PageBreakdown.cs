using System.Diagnostics;
using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Benchmarks;

/// <summary>
/// Where a section page's time and memory go: the storage reads every vendor page makes before it renders, called
/// one at a time in-process with nothing else running (mean per call after one warm-up call), next to the whole GET.
/// </summary>
internal static class PageBreakdown
{
    private const int Iterations = 40;

    public static async Task PrintAsync(IServiceProvider services, Browser browser, InvitedVendor vendor, string sectionId, int vendorsInRegistry, int submissions, CancellationToken cancellationToken)
    {
        var links = services.GetRequiredService<SurveyLinks>();
        var registry = services.GetRequiredService<VendorRegistry>();
        var checklists = services.GetRequiredService<ChecklistLibrary>();
        var drafts = services.GetRequiredService<DraftStore>();
        var submissionStore = services.GetRequiredService<SubmissionStore>();
        var sessions = services.GetRequiredService<VendorSessions>();
        var assignment = vendor.Assignment;
        Report.Line($"one section page, step by step (one caller, no other load; mean of {Iterations} calls):");
        await StepAsync("link check", "SurveyLinks.VerifyAsync: the assignment row (the link row only the first time an instance sees the link)", () => links.VerifyAsync(vendor.Token, cancellationToken));
        await StepAsync("vendor profile", $"VendorRegistry.ProfileAsync: vendor row + its subcontractors, one query ({Report.N(vendorsInRegistry)} in the registry; the pages keep it per assignment stamp)", () => registry.ProfileAsync(vendor.VendorId, cancellationToken));
        await StepAsync("checklist", "ChecklistLibrary.ResolveAsync: row + blob download + JSON parse (the pages cache it per version)", () => checklists.ResolveAsync(assignment.ChecklistId!, assignment.ChecklistVersion!.Value, cancellationToken));
        await StepAsync("draft", "DraftStore.GetAsync: the draft blob", () => drafts.GetAsync(assignment.Key, cancellationToken));
        await StepAsync("last cycle", $"SubmissionStore.LatestForVendorAsync: the vendor's own partition ({Report.N(submissions)} submissions in all)", () => submissionStore.LatestForVendorAsync(assignment.VendorId, assignment.Kind, assignment.Key, cancellationToken));
        await StepAsync("whole session", "VendorSessions.LoadAsync: assignment and draft (link, vendor profile and checklist kept)", () => sessions.LoadAsync(vendor.Token, cancellationToken));
        await StepAsync("GET section page", "over HTTP: session, last cycle (kept per assignment stamp), antiforgery, Razor render", () => browser.GetStatusAsync(vendor.Url($"/s/{sectionId}"), cancellationToken));
    }

    /// <summary>The vendor profile alone (after the registry has grown).</summary>
    public static async Task PrintProfileAsync(IServiceProvider services, InvitedVendor vendor, int vendorsInRegistry, CancellationToken cancellationToken)
    {
        var registry = services.GetRequiredService<VendorRegistry>();
        await StepAsync("vendor profile", $"VendorRegistry.ProfileAsync: vendor row + its subcontractors ({Report.N(vendorsInRegistry)} in the registry)", () => registry.ProfileAsync(vendor.VendorId, cancellationToken));
    }

    private static async Task StepAsync<T>(string name, string what, Func<Task<T>> step)
    {
        await step();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            await step();
        }

        var milliseconds = watch.Elapsed.TotalMilliseconds / Iterations;
        var kib = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024d / Iterations;
        Report.Line($"  {name,-20}{Report.Ms(milliseconds),7} ms {Report.N(kib),7} KiB   {what}");
    }
}
