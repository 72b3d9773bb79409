using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// Stands in for the Functions host's HTTP front door in browser tests: a loopback proxy that forwards to the app only
/// the requests a published function route takes (<see cref="HostRoutes"/>) and answers 404 to everything else, as
/// the host does. It remembers what it refused, so a test fails when a page uses a URL that would not work in Azure.
/// </summary>
public sealed class HostRoutingProxy : IAsyncDisposable
{
    // Hop-by-hop headers are the proxy's own business; Host is set by HttpClient for the target.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly WebApplication _proxy;
    private readonly HttpClient _client;
    private readonly ConcurrentQueue<string> _refused = new();

    private HostRoutingProxy(WebApplication proxy, HttpClient client, Uri baseAddress)
    {
        _proxy = proxy;
        _client = client;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Requests the host would not have forwarded ("GET /path"), in order; favicon probes by the browser are not counted.</summary>
    public IReadOnlyList<string> Refused => [.. _refused];

    public static async Task<HostRoutingProxy> StartAsync(Uri app, HostRoutes routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(routes);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null; // the app enforces its own limits, as behind the real host
        });
        var proxy = builder.Build();
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = app,
            Timeout = TimeSpan.FromMinutes(2),
        };
        HostRoutingProxy? self = null;
        proxy.Run(context => self!.ForwardAsync(context, routes));
        await proxy.StartAsync(cancellationToken);
        var address = proxy.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self = new HostRoutingProxy(proxy, client, new Uri(address.TrimEnd('/') + "/"));
        return self;
    }

    private async Task ForwardAsync(HttpContext context, HostRoutes routes)
    {
        var path = context.Request.Path.Value ?? "/";
        if (routes.Match(context.Request.Method, path) is null)
        {
            if (!path.Equals("/favicon.ico", StringComparison.OrdinalIgnoreCase))
            {
                _refused.Enqueue($"{context.Request.Method} {path}");
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), path.TrimStart('/') + context.Request.QueryString);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (!NotForwarded.Contains(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        // The browser's view of where it is, as the host passes it on.
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", context.Request.Host.Value);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!NotForwarded.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _proxy.StopAsync();
        await _proxy.DisposeAsync();
    }
}
