using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// A Key Vault secrets endpoint on a loopback socket, speaking the service's REST shapes: the 401 bearer challenge,
/// <c>GET /secrets/{name}[/{version}]</c>, <c>GET /secrets/{name}/versions</c> with <c>nextLink</c> paging, and
/// error bodies (404 SecretNotFound, 403 SecretDisabled).
/// The client keeps the production-shaped <see cref="VaultUri"/> (https, <c>*.vault.azure.net</c>, so the SDK's TLS
/// and challenge-resource checks pass unchanged); <see cref="CreateTransport"/> only redirects the connection here
/// (graph.md §4.4, set-up 1). A test adds versions (rotation), disables them, sets expiry dates, and makes the
/// server fail, then reads <see cref="Requests"/> to see what the SDK asked.
/// </summary>
public sealed class KeyVaultFake : IAsyncDisposable
{
    public const string TenantId = "72f988bf-0000-4000-8000-00000000c0de";

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<SecretVersion>> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<KeyVaultRequest> _requests = [];
    private HttpStatusCode? _failWith;
    private bool _unreachable;
    private TaskCompletionSource? _held;
    private TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private KeyVaultFake(TimeProvider clock)
    {
        _clock = clock;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>
    /// The vault's production-shaped address, unique per fake: the SDK caches a vault's challenge per host for the
    /// whole process, so a shared host would let one test's challenge leak into another's request sequence.
    /// </summary>
    public Uri VaultUri { get; } = new($"https://portal-test-{Guid.NewGuid().ToString("N")[..8]}.vault.azure.net/");

    /// <summary>The loopback port the fake listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Versions listed per page unless the client asks for fewer (small, so paging is always exercised).</summary>
    public int PageSize { get; set; } = 2;

    public IReadOnlyList<KeyVaultRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts the fake on a free loopback port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="clock">Stamps <c>created</c>/<c>updated</c>; pass the test's fake clock to keep one timeline.</param>
    public static async Task<KeyVaultFake> StartAsync(CancellationToken cancellationToken, TimeProvider? clock = null)
    {
        var fake = new KeyVaultFake(clock ?? TimeProvider.System);
        await fake._app.StartAsync(cancellationToken);
        var address = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.Port = new Uri(address).Port;
        return fake;
    }

    /// <summary>A transport for <c>SecretClientOptions.Transport</c> that sends every request to this fake.</summary>
    public HttpPipelineTransport CreateTransport() => new HttpClientTransport(new RedirectHandler(Port));

    /// <summary>A client the way tests want it: this vault, a fake credential, no retries (failures show at once).</summary>
    public SecretClient CreateClient(KeyVaultFakeCredential? credential = null)
    {
        var options = new SecretClientOptions { Transport = CreateTransport() };
        options.Retry.MaxRetries = 0;
        return new SecretClient(VaultUri, credential ?? new KeyVaultFakeCredential(), options);
    }

    /// <summary>Adds a new (now latest) version of the secret, creating the secret if needed; returns the version id.</summary>
    public string AddVersion(string name, string value, DateTimeOffset? expiresOn = null, DateTimeOffset? notBefore = null)
    {
        var version = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            if (!_secrets.TryGetValue(name, out var versions))
            {
                _secrets[name] = versions = [];
            }

            var now = _clock.GetUtcNow();
            versions.Add(new SecretVersion(version, value) { ExpiresOn = expiresOn, NotBefore = notBefore, Created = now, Updated = now });
        }

        return version;
    }

    public void Disable(string name, string version) => Update(name, version, secret => secret.Enabled = false);

    public void Enable(string name, string version) => Update(name, version, secret => secret.Enabled = true);

    public void SetExpiry(string name, string version, DateTimeOffset? expiresOn) => Update(name, version, secret => secret.ExpiresOn = expiresOn);

    /// <summary>From now on every request is answered with this status and a Key Vault error body.</summary>
    public void FailWith(HttpStatusCode status)
    {
        lock (_gate)
        {
            _failWith = status;
            _unreachable = false;
        }
    }

    /// <summary>From now on every connection is dropped without an answer, as when the vault cannot be reached.</summary>
    public void BeUnreachable()
    {
        lock (_gate)
        {
            _unreachable = true;
            _failWith = null;
        }
    }

    public void Recover()
    {
        lock (_gate)
        {
            _unreachable = false;
            _failWith = null;
        }
    }

    /// <summary>Requests wait (after being recorded) until <see cref="ReleaseResponses"/>.</summary>
    public void HoldResponses()
    {
        lock (_gate)
        {
            _held ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Completes once a request is being held.</summary>
    public Task WhenHoldingAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _holding.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
    }

    public void ReleaseResponses()
    {
        TaskCompletionSource? held;
        lock (_gate)
        {
            held = _held;
            _held = null;
        }

        held?.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseResponses();
        await _app.DisposeAsync();
    }

    private void Update(string name, string version, Action<SecretVersion> change)
    {
        lock (_gate)
        {
            var secret = _secrets.GetValueOrDefault(name)?.SingleOrDefault(candidate => candidate.Version == version)
                ?? throw new ArgumentException($"The fake vault has no version {version} of '{name}'.", nameof(version));
            change(secret);
            secret.Updated = _clock.GetUtcNow();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var authorized = string.Equals(request.Headers.Authorization.ToString(), "Bearer " + KeyVaultFakeCredential.Token, StringComparison.Ordinal);
        Task held;
        bool unreachable;
        Answer answer;
        lock (_gate)
        {
            _requests.Add(new KeyVaultRequest(request.Method, request.Host.Value ?? "", request.Path.Value ?? "", request.Query["api-version"], authorized));
            held = _held?.Task ?? Task.CompletedTask;
            if (_held is not null)
            {
                _holding.TrySetResult();
            }

            unreachable = _unreachable;
            answer = _failWith is { } status ? Error(status, "ServiceUnavailable", "The fake vault was told to fail.")
                : !authorized ? Challenge()
                : Route(request);
        }

        await held;
        if (unreachable)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = (int)answer.Status;
        foreach (var (header, value) in answer.Headers)
        {
            context.Response.Headers[header] = value;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer.Body.ToJsonString(), context.RequestAborted);
    }

    private Answer Route(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.Query["api-version"]))
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", "The api-version query parameter is missing.");
        }

        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!HttpMethods.IsGet(request.Method) || segments.Length is < 2 or > 3 || segments[0] != "secrets")
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", $"The fake vault does not implement {request.Method} {request.Path}.");
        }

        var name = segments[1];
        if (!_secrets.TryGetValue(name, out var versions) || versions.Count == 0)
        {
            return Error(HttpStatusCode.NotFound, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.");
        }

        if (segments.Length == 3 && segments[2] == "versions")
        {
            return ListVersions(request, name, versions);
        }

        var secret = segments.Length == 2 ? versions[^1] : versions.SingleOrDefault(candidate => candidate.Version == segments[2]);
        if (secret is null)
        {
            return Error(HttpStatusCode.NotFound, "SecretNotFound", $"A secret with (name/id) {name}/{segments[2]} was not found in this key vault.");
        }

        if (!secret.Enabled)
        {
            return Error(HttpStatusCode.Forbidden, "Forbidden", "Operation get is not allowed on a disabled secret.", innerCode: "SecretDisabled");
        }

        var bundle = Item(name, secret);
        bundle["value"] = secret.Value;
        return new Answer(HttpStatusCode.OK, bundle);
    }

    private Answer ListVersions(HttpRequest request, string name, List<SecretVersion> versions)
    {
        var skip = int.TryParse(request.Query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var token) ? token : 0;
        var size = int.TryParse(request.Query["maxresults"], NumberStyles.None, CultureInfo.InvariantCulture, out var asked) ? Math.Min(asked, PageSize) : PageSize;
        var page = new JsonArray([.. versions.Skip(skip).Take(size).Select(secret => (JsonNode)Item(name, secret))]);
        var next = skip + size < versions.Count
            ? $"{VaultUri}secrets/{name}/versions?api-version={Uri.EscapeDataString(request.Query["api-version"].ToString())}&$skiptoken={skip + size}&maxresults={size}"
            : null;
        return new Answer(HttpStatusCode.OK, new JsonObject { ["value"] = page, ["nextLink"] = next });
    }

    private JsonObject Item(string name, SecretVersion secret)
    {
        var attributes = new JsonObject
        {
            ["enabled"] = secret.Enabled,
            ["created"] = secret.Created.ToUnixTimeSeconds(),
            ["updated"] = secret.Updated.ToUnixTimeSeconds(),
            ["recoveryLevel"] = "Recoverable+Purgeable",
            ["recoverableDays"] = 90,
        };
        if (secret.ExpiresOn is { } expires)
        {
            attributes["exp"] = expires.ToUnixTimeSeconds();
        }

        if (secret.NotBefore is { } notBefore)
        {
            attributes["nbf"] = notBefore.ToUnixTimeSeconds();
        }

        return new JsonObject { ["id"] = $"{VaultUri}secrets/{name}/{secret.Version}", ["attributes"] = attributes, ["tags"] = new JsonObject() };
    }

    private static Answer Challenge() => Error(HttpStatusCode.Unauthorized, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.") with
    {
        Headers = [("WWW-Authenticate", $"Bearer authorization=\"https://login.microsoftonline.com/{TenantId}\", resource=\"https://vault.azure.net\"")],
    };

    private static Answer Error(HttpStatusCode status, string code, string message, string? innerCode = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (innerCode is not null)
        {
            error["innererror"] = new JsonObject { ["code"] = innerCode };
        }

        return new Answer(status, new JsonObject { ["error"] = error });
    }

    private sealed record Answer(HttpStatusCode Status, JsonObject Body)
    {
        public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];
    }

    private sealed class SecretVersion(string version, string value)
    {
        public string Version { get; } = version;

        public string Value { get; } = value;

        public bool Enabled { get; set; } = true;

        public DateTimeOffset? ExpiresOn { get; set; }

        public DateTimeOffset? NotBefore { get; set; }

        public DateTimeOffset Created { get; init; }

        public DateTimeOffset Updated { get; set; }
    }

    /// <summary>Keeps the request's https vault URI (and Host header) but opens the connection to the fake.</summary>
    private sealed class RedirectHandler(int port) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var original = request.RequestUri!;
            request.Headers.Host = original.Authority;
            request.RequestUri = new UriBuilder(original) { Scheme = Uri.UriSchemeHttp, Host = "127.0.0.1", Port = port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
