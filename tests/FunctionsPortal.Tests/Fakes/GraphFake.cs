using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// A loopback Microsoft Graph for mail: a real Kestrel server on 127.0.0.1 (a free port) speaking Graph's JSON for
/// draft → send → read back, and sendMail. It records what was sent (when, from which mailbox) and how many requests
/// were in flight at once (in all, and per mailbox), and
/// lets a test inject faults at any time (thread-safe):
/// <list type="bullet">
/// <item><see cref="ThrottleNext"/>: 429 + Retry-After (seconds or an HTTP date);</item>
/// <item><see cref="FailNext"/>: any status with Graph's error body (503, 500, 403 …);</item>
/// <item><see cref="ResponseDelay"/>: every request waits before it is answered;</item>
/// <item><see cref="RejectRecipient"/>: sending to that address answers 400 ErrorInvalidRecipients (at send, as Exchange does);</item>
/// <item><see cref="LoseNextSendResponses"/>: the send happens, then the answer is 504 (the outcome the client cannot know);</item>
/// <item><see cref="HideSentMessagesFromReads"/>: a sent message answers 404 to its first reads ("may not succeed immediately").</item>
/// </list>
/// A message created without <c>Prefer: IdType="ImmutableId"</c> gets a regular id, which stops resolving once it is sent
/// (the message moved to Sent Items), as in Exchange.
/// </summary>
public sealed partial class GraphFake : IAsyncDisposable
{
    private const string ThrottledMessage = "Application is over its MailboxConcurrency limit.";

    private readonly WebApplication _app;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredMessage> _messages = new(StringComparer.Ordinal);
    private readonly List<GraphFakeSentMessage> _sent = [];
    private readonly List<GraphFakeRequest> _requests = [];
    private readonly List<Fault> _faults = [];
    private readonly HashSet<string> _rejectedRecipients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _inFlightByMailbox = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _maxInFlightByMailbox = new(StringComparer.Ordinal);
    private int _lostSendResponses;
    private int _hiddenReadsAfterSend;
    private TimeSpan _responseDelay;
    private int _inFlight;
    private int _maxInFlight;

    private GraphFake(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>What GraphMailOptions.BaseUrl should be: <c>{Root}/v1.0</c>.</summary>
    public Uri BaseUrl => new(Root, "v1.0");

    /// <summary>Every request waits this long before it is answered (faults included).</summary>
    public TimeSpan ResponseDelay
    {
        get { lock (_gate) { return _responseDelay; } }
        set { lock (_gate) { _responseDelay = value; } }
    }

    /// <summary>The most requests that were being handled at the same moment (until their answer started).</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>The most requests for one mailbox (the user in the path, in lower case) that were being handled at the same moment.</summary>
    public IReadOnlyDictionary<string, int> MaxInFlightByMailbox
    {
        get { lock (_gate) { return new Dictionary<string, int>(_maxInFlightByMailbox, StringComparer.Ordinal); } }
    }

    /// <summary>Messages that left the mailbox, in order (a draft sent twice appears twice).</summary>
    public IReadOnlyList<GraphFakeSentMessage> SentMessages
    {
        get { lock (_gate) { return [.. _sent]; } }
    }

    /// <summary>Every request answered, in order.</summary>
    public IReadOnlyList<GraphFakeRequest> Requests
    {
        get { lock (_gate) { return [.. _requests]; } }
    }

    /// <summary>Drafts created and not sent.</summary>
    public int DraftCount
    {
        get { lock (_gate) { return _messages.Values.Count(message => message.SentAt is null); } }
    }

    public static async Task<GraphFake> StartAsync(CancellationToken cancellationToken, TimeProvider? timeProvider = null)
    {
        var fake = new GraphFake(timeProvider ?? TimeProvider.System);
        try
        {
            await fake._app.StartAsync(cancellationToken);
            var address = fake._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            fake.Root = new Uri(address.TrimEnd('/') + "/");
            return fake;
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }
    }

    /// <summary>Requests answered for <paramref name="endpoint"/> (faulted ones included).</summary>
    public int Count(GraphFakeEndpoint endpoint)
    {
        lock (_gate)
        {
            return _requests.Count(request => request.Endpoint == endpoint);
        }
    }

    /// <summary>Starts measuring <see cref="MaxInFlight"/> afresh.</summary>
    public void ResetMaxInFlight() => Volatile.Write(ref _maxInFlight, Volatile.Read(ref _inFlight));

    /// <summary>The next <paramref name="count"/> requests (to <paramref name="endpoint"/> only, if given) answer 429 ApplicationThrottled.</summary>
    public void ThrottleNext(int count, TimeSpan retryAfter, GraphFakeEndpoint? endpoint = null, bool retryAfterAsHttpDate = false) =>
        AddFault(new Fault(count, endpoint, HttpStatusCode.TooManyRequests, "ApplicationThrottled", ThrottledMessage, retryAfter, retryAfterAsHttpDate));

    /// <summary>The next <paramref name="count"/> requests (to <paramref name="endpoint"/> only, if given) answer <paramref name="status"/> with Graph's error body.</summary>
    public void FailNext(int count, HttpStatusCode status, GraphFakeEndpoint? endpoint = null, string? code = null, string? message = null, TimeSpan? retryAfter = null) =>
        AddFault(new Fault(count, endpoint, status, code ?? status.ToString(), message ?? $"Injected {(int)status} by the fake Graph.", retryAfter, RetryAfterAsHttpDate: false));

    /// <summary>Sending (send or sendMail) to <paramref name="address"/> answers 400 ErrorInvalidRecipients; nothing is sent.</summary>
    public void RejectRecipient(string address)
    {
        lock (_gate)
        {
            _rejectedRecipients.Add(address);
        }
    }

    /// <summary>The next <paramref name="count"/> sends (send or sendMail) are recorded as sent, then answer 504.</summary>
    public void LoseNextSendResponses(int count = 1)
    {
        lock (_gate)
        {
            _lostSendResponses += count;
        }
    }

    /// <summary>Messages sent from now on answer 404 to their first <paramref name="reads"/> reads.</summary>
    public void HideSentMessagesFromReads(int reads)
    {
        lock (_gate)
        {
            _hiddenReadsAfterSend = reads;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private void AddFault(Fault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var (endpoint, user, messageId) = Classify(request.Method, request.Path.Value ?? "");
        var mailbox = user?.ToLowerInvariant() ?? "";
        var inFlight = Interlocked.Increment(ref _inFlight);
        UpdateMax(inFlight);
        lock (_gate)
        {
            var now = _inFlightByMailbox.GetValueOrDefault(mailbox) + 1;
            _inFlightByMailbox[mailbox] = now;
            _maxInFlightByMailbox[mailbox] = Math.Max(now, _maxInFlightByMailbox.GetValueOrDefault(mailbox));
        }

        // A request stops being in flight when its answer starts: the client may start its next request as soon as it
        // has the answer, possibly before this handler has returned.
        var ended = 0;
        void End()
        {
            if (Interlocked.Exchange(ref ended, 1) == 0)
            {
                Interlocked.Decrement(ref _inFlight);
                lock (_gate)
                {
                    _inFlightByMailbox[mailbox]--;
                }
            }
        }

        context.Response.OnStarting(() =>
        {
            End();
            return Task.CompletedTask;
        });
        try
        {
            var delay = ResponseDelay;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            var status = TakeFault(endpoint) is { } fault
                ? await WriteFaultAsync(context, fault)
                : await AnswerAsync(context, endpoint, user!, messageId);
            lock (_gate)
            {
                _requests.Add(new GraphFakeRequest(endpoint, request.Method, request.Path.Value ?? "", status, Header(request, "Authorization"), Header(request, "Prefer"), context.Response.Headers.RetryAfter.ToString() is { Length: > 0 } retryAfter ? retryAfter : null));
            }
        }
        finally
        {
            End();
        }
    }

    private void UpdateMax(int inFlight)
    {
        var max = Volatile.Read(ref _maxInFlight);
        while (inFlight > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
            if (seen == max)
            {
                return;
            }

            max = seen;
        }
    }

    private static (GraphFakeEndpoint Endpoint, string? User, string? MessageId) Classify(string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not ["v1.0", "users", var user, .. var rest])
        {
            return (GraphFakeEndpoint.Other, null, null);
        }

        return (method, rest) switch
        {
            ("POST", ["messages"]) => (GraphFakeEndpoint.CreateDraft, user, null),
            ("POST", ["messages", var id, "send"]) => (GraphFakeEndpoint.SendDraft, user, id),
            ("GET", ["messages", var id]) => (GraphFakeEndpoint.GetMessage, user, id),
            ("POST", [var action]) when action.Equals("sendMail", StringComparison.OrdinalIgnoreCase) => (GraphFakeEndpoint.SendMail, user, null),
            _ => (GraphFakeEndpoint.Other, user, null),
        };
    }

    private Fault? TakeFault(GraphFakeEndpoint endpoint)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(fault => fault.Endpoint is null || fault.Endpoint == endpoint);
            if (index < 0)
            {
                return TakeRandomFault(endpoint); // GraphFake.RandomFaults.cs: none unless FailAtRandom was called
            }

            var fault = _faults[index];
            if (fault.Remaining <= 1)
            {
                _faults.RemoveAt(index);
            }
            else
            {
                _faults[index] = fault with { Remaining = fault.Remaining - 1 };
            }

            return fault;
        }
    }

    private async Task<HttpStatusCode> WriteFaultAsync(HttpContext context, Fault fault)
    {
        if (fault.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = fault.RetryAfterAsHttpDate
                ? (_timeProvider.GetUtcNow() + retryAfter).ToString("R", CultureInfo.InvariantCulture)
                : ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return await WriteErrorAsync(context, fault.Status, fault.Code, fault.Message);
    }

    private async Task<HttpStatusCode> AnswerAsync(HttpContext context, GraphFakeEndpoint endpoint, string user, string? messageId)
    {
        switch (endpoint)
        {
            case GraphFakeEndpoint.CreateDraft:
                return await CreateDraftAsync(context, user);
            case GraphFakeEndpoint.SendDraft:
                return await SendDraftAsync(context, user, messageId!);
            case GraphFakeEndpoint.GetMessage:
                return await GetMessageAsync(context, user, messageId!);
            case GraphFakeEndpoint.SendMail:
                return await SendMailAsync(context, user);
            default:
                return await WriteErrorAsync(context, HttpStatusCode.BadRequest, "BadRequest", $"Resource not found for the segment '{context.Request.Path}'.");
        }
    }

    private async Task<HttpStatusCode> CreateDraftAsync(HttpContext context, string user)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var immutable = Header(context.Request, "Prefer")?.Contains("IdType=\"ImmutableId\"", StringComparison.OrdinalIgnoreCase) == true;
        var id = (immutable ? "AAkALg" : "AAMkAG") + Guid.NewGuid().ToString("N") + "AAA=";
        var message = StoredMessage.From(id, user, body.RootElement, immutable, _timeProvider.GetUtcNow());
        lock (_gate)
        {
            _messages[id] = message;
        }

        return await WriteJsonAsync(context, HttpStatusCode.Created, new JsonObject
        {
            ["@odata.context"] = $"{Root}v1.0/$metadata#users('{user}')/messages/$entity",
            ["id"] = id,
            ["createdDateTime"] = message.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["subject"] = message.Subject,
            ["isDraft"] = true,
            ["internetMessageId"] = $"<{Guid.NewGuid():N}@fake.graph.example>",
        });
    }

    private async Task<HttpStatusCode> SendDraftAsync(HttpContext context, string user, string messageId)
    {
        StoredMessage? message;
        lock (_gate)
        {
            message = _messages.GetValueOrDefault(messageId);
        }

        if (message is null || !message.Sender.Equals(user, StringComparison.OrdinalIgnoreCase) || (message.SentAt is not null && !message.ImmutableId))
        {
            return await WriteNotFoundAsync(context);
        }

        return await SendAsync(context, message, GraphFakeEndpoint.SendDraft);
    }

    private async Task<HttpStatusCode> SendMailAsync(HttpContext context, string user)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        // The SDK sends action parameters in PascalCase ("Message", "SaveToSentItems"); Graph accepts either case.
        if (Property(body.RootElement, "message") is not { ValueKind: JsonValueKind.Object } json)
        {
            return await WriteErrorAsync(context, HttpStatusCode.BadRequest, "ErrorInvalidRequest", "The message parameter is missing.");
        }

        return await SendAsync(context, StoredMessage.From(null, user, json, immutableId: true, _timeProvider.GetUtcNow()), GraphFakeEndpoint.SendMail);
    }

    private async Task<HttpStatusCode> SendAsync(HttpContext context, StoredMessage message, GraphFakeEndpoint via)
    {
        var rejected = false;
        var lost = false;
        string? refused = null;
        lock (_gate)
        {
            refused = message.To.Concat(message.Cc).FirstOrDefault(_rejectedRecipients.Contains);
            if (refused is not null)
            {
                rejected = true;
            }
            else
            {
                message.SentAt = _timeProvider.GetUtcNow();
                message.HiddenReads = _hiddenReadsAfterSend;
                _sent.Add(message.ToSent(Header(context.Request, "Authorization"), via));
                if (_lostSendResponses > 0)
                {
                    _lostSendResponses--;
                    lost = true;
                }
            }
        }

        if (rejected)
        {
            return await WriteErrorAsync(context, HttpStatusCode.BadRequest, "ErrorInvalidRecipients",
                $"At least one recipient isn't valid., Recipient '{refused}' isn't resolved. All recipients must be resolved before a message can be submitted.");
        }

        if (lost)
        {
            return await WriteErrorAsync(context, HttpStatusCode.GatewayTimeout, "UnknownError", "");
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        return HttpStatusCode.Accepted;
    }

    private async Task<HttpStatusCode> GetMessageAsync(HttpContext context, string user, string messageId)
    {
        StoredMessage? message;
        var visible = false;
        lock (_gate)
        {
            message = _messages.GetValueOrDefault(messageId);
            if (message is not null && message.Sender.Equals(user, StringComparison.OrdinalIgnoreCase) && (message.SentAt is null || message.ImmutableId))
            {
                if (message.SentAt is not null && message.HiddenReads > 0)
                {
                    message.HiddenReads--;
                }
                else
                {
                    visible = true;
                }
            }
        }

        if (!visible)
        {
            return await WriteNotFoundAsync(context);
        }

        return await WriteJsonAsync(context, HttpStatusCode.OK, new JsonObject
        {
            ["@odata.context"] = $"{Root}v1.0/$metadata#users('{user}')/messages(id,isDraft,sentDateTime)/$entity",
            ["@odata.etag"] = $"W/\"{Guid.NewGuid():N}\"",
            ["id"] = messageId,
            ["isDraft"] = message!.SentAt is null,
            ["sentDateTime"] = message.SentAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        });
    }

    private static Task<HttpStatusCode> WriteNotFoundAsync(HttpContext context) =>
        WriteErrorAsync(context, HttpStatusCode.NotFound, "ErrorItemNotFound", "The specified object was not found in the store.");

    private static Task<HttpStatusCode> WriteErrorAsync(HttpContext context, HttpStatusCode status, string code, string message)
    {
        var requestId = Header(context.Request, "client-request-id") ?? Guid.NewGuid().ToString();
        return WriteJsonAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = requestId,
                    ["client-request-id"] = requestId,
                },
            },
        });
    }

    private static async Task<HttpStatusCode> WriteJsonAsync(HttpContext context, HttpStatusCode status, JsonObject body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
        return status;
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private sealed record Fault(int Remaining, GraphFakeEndpoint? Endpoint, HttpStatusCode Status, string Code, string Message, TimeSpan? RetryAfter, bool RetryAfterAsHttpDate);

    private sealed class StoredMessage
    {
        public required string? Id { get; init; }

        public required string Sender { get; init; }

        public required string? Subject { get; init; }

        public required IReadOnlyList<string> To { get; init; }

        public required IReadOnlyList<string> Cc { get; init; }

        public required string? BodyContentType { get; init; }

        public required string? Body { get; init; }

        public required IReadOnlyDictionary<string, string> Headers { get; init; }

        public required bool ImmutableId { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset? SentAt { get; set; }

        public int HiddenReads { get; set; }

        public static StoredMessage From(string? id, string sender, JsonElement json, bool immutableId, DateTimeOffset now)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (Property(json, "internetMessageHeaders") is { ValueKind: JsonValueKind.Array } list)
            {
                foreach (var header in list.EnumerateArray())
                {
                    headers[Text(header, "name") ?? ""] = Text(header, "value") ?? "";
                }
            }

            var body = Property(json, "body");
            return new StoredMessage
            {
                Id = id,
                Sender = sender,
                Subject = Text(json, "subject"),
                To = Addresses(json, "toRecipients"),
                Cc = Addresses(json, "ccRecipients"),
                BodyContentType = body is { } b ? Text(b, "contentType") : null,
                Body = body is { } c ? Text(c, "content") : null,
                Headers = headers,
                ImmutableId = immutableId,
                CreatedAt = now,
            };
        }

        public GraphFakeSentMessage ToSent(string? authorization, GraphFakeEndpoint via) =>
            new(Id, Sender, Headers.GetValueOrDefault("X-Portal-Outbox-Key"), Subject, To, Cc, BodyContentType, Body, Headers, authorization, SentAt!.Value, via);

        private static string[] Addresses(JsonElement json, string name) =>
            Property(json, name) is { ValueKind: JsonValueKind.Array } recipients
                ? [.. recipients.EnumerateArray().Select(recipient => Property(recipient, "emailAddress") is { } address ? Text(address, "address") : null).OfType<string>()]
                : [];
    }
}
