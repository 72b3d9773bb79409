using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Storage;

public sealed class StorageStartupTests(AzuriteFixture azurite)
{
    [Fact]
    public void WithoutAnyStorageSettingTheAppRefusesToStartAndNamesTheSettings()
    {
        var message = StartupFailure.Of(() => new PortalApplication(connectionString: ""));

        Assert.Contains("Storage:ConnectionString", message, StringComparison.Ordinal);
        Assert.Contains("Storage:TableServiceUri", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceUrisWithAManagedIdentityAreAValidConfiguration()
    {
        var options = new StorageOptions
        {
            BlobServiceUri = new Uri("https://stportal.blob.core.windows.net"),
            QueueServiceUri = new Uri("https://stportal.queue.core.windows.net"),
            TableServiceUri = new Uri("https://stportal.table.core.windows.net"),
            ClientId = "6c3d3b40-1111-2222-3333-444455556666",
        };

        Assert.Empty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
    }

    [Fact]
    public void AnInvalidResourcePrefixIsRefused()
    {
        Assert.Contains("Storage:ResourcePrefix", StartupFailure.Of(() => new PortalApplication(azurite, prefix: "Bad_Prefix")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryDeclaredResourceIsCreatedAndASecondStartIsHarmless()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var prefix = AzuriteFixture.NewPrefix();
        static void Declare(IServiceCollection services)
        {
            services.AddStorageResource(StorageResourceKind.Queue, "invitations");
            services.AddStorageResource(StorageResourceKind.Container, "evidence");
        }

        IReadOnlyList<string> declaredTables = [];
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await using var app = new PortalApplication(azurite, prefix: prefix, configureServices: Declare);
            await app.Services.GetRequiredService<StorageReadiness>().WhenReadyAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            declaredTables = app.Services.GetRequiredService<IEnumerable<StorageResource>>()
                .Where(resource => resource.Kind == StorageResourceKind.Table).Select(resource => prefix + resource.LogicalName).Distinct().Order(StringComparer.Ordinal).ToList();
        }

        var storage = azurite.CreateStorage(prefix);
        Assert.True(await storage.GetQueue("invitations").ExistsAsync(cancellationToken));
        Assert.True(await storage.GetContainer("evidence").ExistsAsync(cancellationToken));
        var tables = await storage.Tables.QueryAsync(table => table.Name.CompareTo(prefix) >= 0 && table.Name.CompareTo(prefix + "~") < 0, cancellationToken: cancellationToken)
            .Select(table => table.Name).ToListAsync(cancellationToken);
        Assert.Contains(prefix + "vendors", declaredTables);
        Assert.Equal(declaredTables, tables.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PhysicalNamesCarryThePrefixInTheFormEachServiceAllows()
    {
        var storage = azurite.CreateStorage("tabc");

        Assert.Equal("tabcpoisonreports", storage.TableName("poison-reports"));
        Assert.Equal("tabc-invitations", storage.QueueOrContainerName("invitations"));
        Assert.Equal("invitations", azurite.CreateStorage("").QueueOrContainerName("invitations"));
    }
}
