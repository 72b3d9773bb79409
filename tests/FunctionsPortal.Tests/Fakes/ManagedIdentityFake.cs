using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// The App Service / Functions managed-identity endpoint on a loopback port, so a portal <em>process</em> gets its Graph
/// token through the production credential path: with <c>IDENTITY_ENDPOINT</c> and <c>IDENTITY_HEADER</c> in its
/// environment, <c>DefaultAzureCredential</c> → <c>ManagedIdentityCredential</c> asks
/// <c>GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&amp;resource=…</c> with the secret in <c>X-IDENTITY-HEADER</c>, as
/// on the platform. Each secret stands for one identity (one instance); every token answered is new and remembered,
/// so a test can tell which instance made a Graph call and that no call carried a token this endpoint did not issue.
/// A wrong or missing secret answers 401, an unexpected api-version or resource 400 (the platform's checks).
/// </summary>
public sealed class ManagedIdentityFake : IAsyncDisposable
{
    public const string ApiVersion = "2019-08-01";
    public const string GraphResource = "https://graph.microsoft.com";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _identityBySecret = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _identityByToken = new(StringComparer.Ordinal);
    private int _refused;

    private ManagedIdentityFake()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>What <c>IDENTITY_ENDPOINT</c> should be, e.g. <c>http://127.0.0.1:41234/msi/token</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Token requests refused (bad secret, api-version or resource).</summary>
    public int Refused => Volatile.Read(ref _refused);

    public static async Task<ManagedIdentityFake> StartAsync(CancellationToken cancellationToken)
    {
        var fake = new ManagedIdentityFake();
        fake.Endpoint = new Uri(await LoopbackServer.StartAsync(fake._app, cancellationToken), "msi/token");
        return fake;
    }

    /// <summary>
    /// A new identity named <paramref name="identity"/>: the environment a process needs to use it
    /// (<c>IDENTITY_ENDPOINT</c>, and a random secret as <c>IDENTITY_HEADER</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentFor(string identity)
    {
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        lock (_gate)
        {
            _identityBySecret[secret] = identity;
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["IDENTITY_ENDPOINT"] = Endpoint.ToString(),
            ["IDENTITY_HEADER"] = secret,
        };
    }

    /// <summary>The identity a bearer token (<c>Bearer …</c> or the bare token) was issued to; null if this endpoint never issued it.</summary>
    public string? IdentityOf(string? authorization)
    {
        if (authorization is null)
        {
            return null;
        }

        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..] : authorization;
        lock (_gate)
        {
            return _identityByToken.GetValueOrDefault(token);
        }
    }

    /// <summary>Tokens issued so far, per identity.</summary>
    public IReadOnlyDictionary<string, int> TokensIssued
    {
        get
        {
            lock (_gate)
            {
                return _identityByToken.Values.GroupBy(identity => identity, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var secret = request.Headers["X-IDENTITY-HEADER"].ToString();
        string? identity;
        lock (_gate)
        {
            identity = _identityBySecret.GetValueOrDefault(secret);
        }

        if (!HttpMethods.IsGet(request.Method) || request.Path != "/msi/token")
        {
            await RefuseAsync(context, HttpStatusCode.NotFound, "not_found", $"No token endpoint at {request.Method} {request.Path}.");
        }
        else if (identity is null)
        {
            await RefuseAsync(context, HttpStatusCode.Unauthorized, "unauthorized", "X-IDENTITY-HEADER is missing or wrong.");
        }
        else if (request.Query["api-version"] != ApiVersion)
        {
            await RefuseAsync(context, HttpStatusCode.BadRequest, "invalid_request", $"api-version must be {ApiVersion}.");
        }
        else if (request.Query["resource"] != GraphResource)
        {
            // The app asks for Graph only; anything else means the scope was built wrongly.
            await RefuseAsync(context, HttpStatusCode.BadRequest, "invalid_resource", $"Unexpected resource '{request.Query["resource"]}'.");
        }
        else
        {
            var token = $"mi-{identity}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(12))}";
            lock (_gate)
            {
                _identityByToken[token] = identity;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject
            {
                ["access_token"] = token,
                ["expires_on"] = DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["resource"] = GraphResource,
                ["token_type"] = "Bearer",
                ["client_id"] = "00000000-0000-0000-0000-0000000f4e11",
            }.ToJsonString(), context.RequestAborted);
        }
    }

    private async Task RefuseAsync(HttpContext context, HttpStatusCode status, string error, string description)
    {
        Interlocked.Increment(ref _refused);
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["error"] = error, ["error_description"] = description }.ToJsonString(), context.RequestAborted);
    }
}
