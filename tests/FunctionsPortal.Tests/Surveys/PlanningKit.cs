using FunctionsPortal.Checklists;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>What the tier-plan tests share: an app on a fake clock with the default checklists, vendors, and what the planner made.</summary>
internal static class PlanningKit
{
    public static readonly TimeSpan Japan = TimeSpan.FromHours(9);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Midnight at the start of the day in Japan (15:00 UTC the day before).</summary>
    public static DateTimeOffset JapanMidnight(int year, int month, int day) => new(year, month, day, 0, 0, 0, Japan);

    public static async Task<PortalApplication> StartAsync(AzuriteFixture azurite, FakeTimeProvider clock, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new PortalApplication(azurite, settings: settings, timeProvider: clock);
        await app.Services.WhenStorageReadyAsync();
        await app.Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
        return app;
    }

    /// <summary>Sensitive data and card data: 6 points, the high tier.</summary>
    public static Vendor HighTier(string nameJa, string officerEmail) =>
        SampleVendors.Domestic(nameJa) with { DataCategories = ["sensitive", "credit-card"], ResponsibleOfficer = new Person("受任 一郎", "部長", officerEmail) };

    /// <summary>Personal data, 500 records: the low tier (annual-lite once a year).</summary>
    public static Vendor LowTier(string nameJa, string officerEmail) =>
        SampleVendors.Domestic(nameJa) with { ResponsibleOfficer = new Person("受任 二郎", "部長", officerEmail) };

    public static Task AddAsync(PortalApplication app, string id, Vendor vendor) =>
        app.Services.GetRequiredService<VendorStore>().AddAsync(id, vendor, "test", Token);

    public static Task<PlanReport> PlanAsync(PortalApplication app) => app.Services.GetRequiredService<SurveyPlanner>().PlanAsync(Token);

    public static async Task<List<Assignment>> SurveysOfAsync(PortalApplication app, string vendorId) =>
        [.. (await app.Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(VendorId: vendorId), Token)).OrderBy(survey => survey.CreatedAt).ThenBy(survey => survey.Cycle, StringComparer.Ordinal)];

    /// <summary>The assignment keys waiting in the survey-mail queue for their invitation.</summary>
    public static async Task<List<string>> QueuedInvitationsAsync(PortalApplication app)
    {
        var messages = (await app.Services.GetRequiredService<PortalStorage>().GetQueue(SurveyMailRequests.QueueName).PeekMessagesAsync(32, Token)).Value;
        return [.. messages.Select(message => message.Body.ToObjectFromJson<SurveyMailMessage>(System.Text.Json.JsonSerializerOptions.Web)!)
            .Where(message => message.Mail == "invitation").SelectMany(message => message.Keys)];
    }

    public static async Task<int> LatestVersionAsync(PortalApplication app, string checklistId) =>
        (await app.Services.GetRequiredService<ChecklistLibrary>().LatestAsync(checklistId, Token))!.Version;

    /// <summary>Imports a default checklist again as version <paramref name="version"/> (or under another id): a new version as staff would add one.</summary>
    public static async Task ImportAsync(PortalApplication app, string defaultId, int version, string? asId = null)
    {
        var definition = DefaultChecklists.All.Where(candidate => candidate.Id == defaultId).MaxBy(candidate => candidate.Version)!;
        await app.Services.GetRequiredService<ChecklistLibrary>().CreateAsync(definition with { Id = asId ?? defaultId, Version = version }, "test", Token);
    }
}
