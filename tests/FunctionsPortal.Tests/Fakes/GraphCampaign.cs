using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Core;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// A campaign sent through <see cref="GraphFake"/>: the app's Graph credential swapped for the fake's, vendors only a
/// campaign asks (outside the yearly tier plan), the launch through the staff API, and who has been invited.
/// </summary>
public static class GraphCampaign
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>For <see cref="PortalApplication"/>'s services: Graph tokens from <see cref="GraphFakeCredential"/>.</summary>
    public static void UseFakeCredential(IServiceCollection services)
    {
        services.RemoveAll<TokenCredential>();
        services.AddSingleton<TokenCredential>(new GraphFakeCredential());
    }

    /// <summary>The default checklists and <paramref name="count"/> vendors "{idPrefix}-00" … with an officer's address each.</summary>
    public static async Task SeedVendorsAsync(PortalApplication app, string idPrefix, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.WhenStorageReadyAsync();
        await app.Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(cancellationToken);
        var store = app.Services.GetRequiredService<VendorStore>();
        for (var i = 0; i < count; i++)
        {
            await store.AddAsync($"{idPrefix}-{i:D2}", SampleVendors.Domestic($"株式会社{idPrefix}{i:D2}") with
            {
                ResponsibleOfficer = new Person($"受任 {i}", "部長", $"officer{i:D2}@vendor.example.jp"),
                LifecycleStatus = "onboarding", // outside the yearly tier plan: only the campaign asks
            }, "test", cancellationToken);
        }
    }

    /// <summary>Launches an interim campaign for those vendors as an admin would (invitations are queued at once).</summary>
    public static async Task<CampaignLaunch> LaunchAsync(PortalApplication app, string idPrefix, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var admin = app.CreateStaffClient(StaffRoles.Admin);
        var request = new CampaignRequest("FY2026 interim check", SurveyKinds.Interim, "interim-technical", 1, null, 21,
            new CampaignTarget(VendorIds: [.. Enumerable.Range(0, count).Select(i => $"{idPrefix}-{i:D2}")]));
        using var response = await admin.PostAsJsonAsync("/api/campaigns", request, Json, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CampaignLaunch>(Json, cancellationToken))!;
    }

    public static async Task<int> InvitedAsync(PortalApplication app, CampaignLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(launch);
        return (await app.Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(Cycle: launch.Campaign.Id, Status: AssignmentStatus.Invited), cancellationToken)).Count;
    }
}
