using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Storage;

/// <summary>
/// Start-up defers creating tables, containers and queues until something needs them or the first answer has gone out
/// (cold start, issue 16); settings are still validated before the app answers anything.
/// </summary>
public sealed class StorageStartDeferralTests(AzuriteFixture azurite)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void AnInvalidSettingStillStopsTheStart()
    {
        var message = StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Secrets:VaultUri"] = "http://kv-test.vault.azure.net/" }));

        Assert.Contains("must be an absolute https URI", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APageRequestedFirstOnAFreshStorageAccountFindsItsTables()
    {
        await using var app = new PortalApplication(azurite, prefix: AzuriteFixture.NewPrefix());
        using var admin = app.CreateStaffClient(StaffRoles.Admin);

        using var response = await admin.GetAsync(new Uri("/api/vendors", UriKind.Relative), Token);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token));
        Assert.True(app.Services.GetRequiredService<StorageReadiness>().IsReady);
    }

    [Fact]
    public async Task TheAnswerToTheHostsProbeIsFollowedByStorageInitialization()
    {
        await using var app = new PortalApplication(azurite, prefix: AzuriteFixture.NewPrefix());
        using var client = app.CreateClient();
        var readiness = app.Services.GetRequiredService<StorageReadiness>();

        using var home = await client.GetAsync(new Uri("/", UriKind.Relative), Token);

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        await Eventually.UntilAsync(() => readiness.IsReady, () => "storage to be initialized after the first answer", cancellationToken: Token);
        Assert.True(await app.Services.GetRequiredService<PortalStorage>().GetTable("vendors").GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("none", "none", cancellationToken: Token) is { HasValue: false });
    }

    [Fact]
    public void StartUpWorkWaitsForStorageWithoutHurryingItAndEverythingElseAsksForIt()
    {
        var readiness = new StorageReadiness();

        _ = readiness.WhenReadyInTheBackgroundAsync(Token);
        var wantedByBackgroundWork = readiness.Wanted.IsCompleted;
        _ = readiness.WhenReadyAsync(Token);

        Assert.False(wantedByBackgroundWork);
        Assert.True(readiness.Wanted.IsCompleted);
        Assert.False(readiness.IsReady);
    }
}
