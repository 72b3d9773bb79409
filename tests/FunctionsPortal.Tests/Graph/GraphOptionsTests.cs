using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Graph;

public sealed class GraphOptionsTests(AzuriteFixture azurite)
{
    [Fact]
    public void ASenderThatIsNotAMailboxIsRefusedAtStartUp()
    {
        Assert.Contains("Graph:SenderMailbox must be a mailbox address", StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Graph:SenderMailbox"] = "compliance team" })), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidGraphSettingsStart()
    {
        await using var app = new PortalApplication(azurite, settings: new Dictionary<string, string?>
        {
            ["Graph:SenderMailbox"] = "compliance@contoso.example",
            ["Graph:PlannerPlanId"] = "xqQg5FS2LkCp935s-FIFm2QAFkHM",
            ["Graph:PlannerBucketId"] = "hsOf2dhOJkqyYYZEtdzDe2QAIUCR",
        });
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
