using System.Net;
using System.Net.Http.Json;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>GET /api/assignments reads a cycle's partition or one vendor's key ranges: it never scans every cycle.</summary>
public sealed class AssignmentListApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly PortalApplication _app = new(azurite);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _app.Services.WhenStorageReadyAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AVendorsAssignmentsAreListedWithoutACycleAndACycleListsItsOwn()
    {
        var invited = await SurveyScenario.InviteAsync(_app.Services, Token);
        var other = await SurveyScenario.InviteAsync(_app.Services, Token);
        // The scenario's cycle stands for a campaign launched today: the vendor listing reads the recent campaigns' cycles.
        await _app.Services.GetRequiredService<CampaignStore>().TryAddAsync(
            new Campaign(invited.Assignment.Cycle, "API list", SurveyKinds.Annual, "annual-lite", 1, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30), new CampaignTarget(), "tester", DateTimeOffset.UtcNow), Token);
        using var staff = _app.CreateStaffClient("Portal.Reviewer");

        var byVendor = await staff.GetFromJsonAsync<List<Assignment>>($"/api/assignments?vendorId={invited.VendorId}", Token);
        var byCycle = await staff.GetFromJsonAsync<List<Assignment>>($"/api/assignments?cycle={invited.Assignment.Cycle}", Token);
        var filteredOut = await staff.GetFromJsonAsync<List<Assignment>>($"/api/assignments?vendorId={invited.VendorId}&status=accepted", Token);

        Assert.Equal(invited.Assignment.Key, Assert.Single(byVendor!).Key);
        Assert.Contains(byCycle!, assignment => assignment.Key == invited.Assignment.Key);
        Assert.DoesNotContain(byCycle!, assignment => assignment.Key == other.Assignment.Key);
        Assert.Empty(filteredOut!);
    }

    [Fact]
    public async Task NamingNeitherACycleNorAVendorIsRefused()
    {
        using var staff = _app.CreateStaffClient("Portal.Reviewer");

        using var response = await staff.GetAsync("/api/assignments", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cycle", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }
}
