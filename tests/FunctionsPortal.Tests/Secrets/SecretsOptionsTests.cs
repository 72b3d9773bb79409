using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Secrets;

public sealed class SecretsOptionsTests(AzuriteFixture azurite)
{
    [Fact]
    public void UnderTheFunctionsHostAKeyVaultIsRequired()
    {
        Assert.Contains("Secrets:VaultUri is not set", StartupFailure.Of(() => new PortalApplication(azurite, prefix: "", settings: new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071" })), StringComparison.Ordinal);
    }

    [Fact]
    public void OutsideDevelopmentAStandaloneStartRefusesTheDevelopmentKey()
    {
        var failure = StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["environment"] = "Production" }));

        Assert.Contains("Secrets:VaultUri is not set: outside Development (this is 'Production')", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AVaultUriMustBeHttps()
    {
        Assert.Contains("must be an absolute https URI", StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Secrets:VaultUri"] = "http://kv-test.vault.azure.net/" })), StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidSecretNameIsRefused()
    {
        Assert.Contains("Secrets:SigningKeySecretName", StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Secrets:SigningKeySecretName"] = "no spaces allowed" })), StringComparison.Ordinal);
    }
}
