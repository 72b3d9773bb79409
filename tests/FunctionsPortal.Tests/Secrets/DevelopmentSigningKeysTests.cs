using System.Security.Cryptography;
using System.Text;
using FunctionsPortal.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Tests.Secrets;

public sealed class DevelopmentSigningKeysTests
{
    [Fact]
    public async Task StartingLogsALoudWarningThatLinksAreNotSecure()
    {
        var logger = new FakeLogger<DevelopmentSigningKeys>();
        var keys = new DevelopmentSigningKeys(Options.Create(new SecretsOptions()), logger);

        await keys.StartAsync(TestContext.Current.CancellationToken);

        var warning = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("development signing key", warning.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("links are not secure; configure Secrets:VaultUri", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFixedKeyIsOneVersionNamedDevelopment()
    {
        var keys = await new DevelopmentSigningKeys(Options.Create(new SecretsOptions()), new FakeLogger<DevelopmentSigningKeys>())
            .GetAsync(TestContext.Current.CancellationToken);

        Assert.Equal("development", keys.Current.Version);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(DevelopmentSigningKeys.FixedSecret)), keys.Current.Key);
        Assert.Same(keys.Current, Assert.Single(keys.All).Value);
        Assert.Equal("development", Assert.Single(keys.All).Key);
    }

    [Fact]
    public async Task AConfiguredDevelopmentKeyReplacesTheFixedOne()
    {
        var keys = await new DevelopmentSigningKeys(Options.Create(new SecretsOptions { DevelopmentKey = "my-local-key" }), new FakeLogger<DevelopmentSigningKeys>())
            .GetAsync(TestContext.Current.CancellationToken);

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes("my-local-key")), keys.Current.Key);
        Assert.Equal("development", keys.Current.Version);
    }
}
