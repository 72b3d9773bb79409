using FunctionsPortal.Hosting;
using Microsoft.Extensions.Configuration;

namespace FunctionsPortal.Tests.Hosting;

public sealed class HostingModeTests
{
    private static HostingMode Detect(string? port) => HostingMode.Detect(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [HostingMode.CustomHandlerPortSetting] = port })
        .Build());

    [Fact]
    public void NoCustomHandlerPortMeansStandalone() => Assert.Equal(PortalHostMode.Standalone, Detect(null).Mode);

    [Fact]
    public void TheHostsPortMeansFunctionsHostMode()
    {
        var mode = Detect("40123");

        Assert.True(mode.IsFunctionsHost);
        Assert.Equal(40123, mode.CustomHandlerPort);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("70000")]
    [InlineData("-1")]
    public void AnInvalidPortStopsTheAppWithTheSettingsName(string port)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Detect(port));

        Assert.Contains(HostingMode.CustomHandlerPortSetting, error.Message, StringComparison.Ordinal);
    }
}
