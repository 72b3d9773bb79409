using FunctionsPortal.Hosting;
using Microsoft.AspNetCore.Http;
using System.Net;

namespace FunctionsPortal.Tests.Hosting;

/// <summary>Under the Functions host the client is the entry Azure's front end appended, never one the client wrote.</summary>
public sealed class ClientAddressTests
{
    private static readonly HostingMode FunctionsHost = new(PortalHostMode.FunctionsHost, 7071);
    private static readonly HostingMode Standalone = new(PortalHostMode.Standalone, null);

    [Theory]
    [InlineData("203.0.113.7:51234", "203.0.113.7")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("198.51.100.1, 203.0.113.7:443", "203.0.113.7")]
    [InlineData("[2001:db8::1]:8080", "2001:db8::1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    public void UnderTheHostTheLastForwardedEntryIsTheClient(string forwardedFor, string expected)
    {
        var context = Request(forwardedFor);

        Assert.Equal(expected, ClientAddress.Of(context, FunctionsHost));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData(" , ")]
    public void UnderTheHostAMissingOrBrokenHeaderFallsBackToTheConnection(string forwardedFor)
    {
        Assert.Equal("127.0.0.1", ClientAddress.Of(Request(forwardedFor), FunctionsHost));
    }

    [Fact]
    public void StandaloneTheHeaderIsIgnored()
    {
        Assert.Equal("127.0.0.1", ClientAddress.Of(Request("203.0.113.7"), Standalone));
    }

    private static DefaultHttpContext Request(string forwardedFor)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        return context;
    }
}
