using FunctionsPortal.Graph;
using FunctionsPortal.Mail;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Tests.Graph;

public sealed class GraphOptionsTests(AzuriteFixture azurite)
{
    [Fact]
    public void ASenderThatIsNotAMailboxIsRefusedAtStartUp()
    {
        Assert.Contains("Graph:SenderMailbox must be a mailbox address", StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Graph:SenderMailbox"] = "compliance team" })), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("surveys-a@contoso.example, compliance team")]
    [InlineData("surveys-a@contoso.example,,surveys-b@contoso.example")]
    [InlineData("")]
    public void SenderMailboxesThatAreNotAllMailboxesAreRefusedAtStartUp(string mailboxes)
    {
        // An empty list counts too: the setting is there, so Graph mail is on, and it names no mailbox to send from.
        var failure = StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Graph:SenderMailboxes"] = mailboxes }));

        Assert.Contains("Graph:SenderMailboxes must list mailbox addresses", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SenderMailboxesAsAListOrSeparatedByCommasAddUpWithTheSingleSenderFirst()
    {
        await using var app = new PortalApplication(azurite, settings: new Dictionary<string, string?>
        {
            ["Graph:SenderMailbox"] = "compliance@contoso.example",
            ["Graph:SenderMailboxes"] = "surveys-a@contoso.example; Compliance@contoso.example",
            ["Graph:SenderMailboxes:0"] = "surveys-b@contoso.example",
        });

        var options = app.Services.GetRequiredService<IOptions<GraphOptions>>().Value;

        Assert.Equal(["compliance@contoso.example", "surveys-b@contoso.example", "surveys-a@contoso.example"], options.Mailboxes);
        Assert.IsType<GraphMailTransport>(app.Services.GetRequiredService<IMailTransport>());
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
