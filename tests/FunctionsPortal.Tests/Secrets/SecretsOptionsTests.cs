using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Secrets;

public sealed class SecretsOptionsTests(AzuriteFixture azurite)
{
    [Fact]
    public void UnderTheFunctionsHostAKeyVaultIsRequired()
    {
        using var app = new PortalApplication(azurite, prefix: "", settings: new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071" });

        Assert.Contains("Secrets:VaultUri is not set", StartupFailure.Of(app), StringComparison.Ordinal);
    }

    [Fact]
    public void AVaultUriMustBeHttps()
    {
        using var app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Secrets:VaultUri"] = "http://kv-test.vault.azure.net/" });

        Assert.Contains("must be an absolute https URI", StartupFailure.Of(app), StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidSecretNameIsRefused()
    {
        using var app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Secrets:SigningKeySecretName"] = "no spaces allowed" });

        Assert.Contains("Secrets:SigningKeySecretName", StartupFailure.Of(app), StringComparison.Ordinal);
    }
}
