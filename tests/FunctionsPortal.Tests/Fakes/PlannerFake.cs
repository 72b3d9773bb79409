using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// A loopback Microsoft Planner: a real Kestrel server on 127.0.0.1 speaking Graph's JSON for tasks and task details,
/// with real ETags (<c>@odata.etag</c> and the ETag header; a PATCH without If-Match is 400, with a stale one 412),
/// lists paged with <c>@odata.nextLink</c> (<see cref="PageSize"/>), and faults a test injects (thread-safe):
/// <list type="bullet">
/// <item><see cref="ThrottleNext"/>: 429 + Retry-After in seconds;</item>
/// <item><see cref="FailNext"/>: any status with Graph's error body (500, 503, 403 …);</item>
/// <item><see cref="LoseNextResponses"/>: the request takes effect (a task is created, a PATCH applied), then the answer is 504;</item>
/// <item><see cref="EditBeforeNext"/>: someone edits the task (or its details) just before the request is handled, so the client's ETag is stale;</item>
/// <item><see cref="ResponseDelay"/> and <see cref="Delay"/>: requests (to one endpoint) wait before they are handled.</item>
/// </list>
/// <see cref="Edit"/> is a person changing a task in Planner (progress, assignee, due date).
/// </summary>
public sealed class PlannerFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<StoredTask> _tasks = [];
    private readonly List<PlannerFakeRequest> _requests = [];
    private readonly List<Fault> _faults = [];
    private readonly Dictionary<PlannerFakeEndpoint, TimeSpan> _delays = [];
    private TimeSpan _responseDelay;
    private int _taskCounter;

    private PlannerFake()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>What GraphPlanner:BaseUrl should be: <c>{Root}v1.0</c>.</summary>
    public Uri BaseUrl => new(Root, "v1.0");

    /// <summary>Tasks per list page (Graph decides its page size; small here so paging is exercised).</summary>
    public int PageSize { get; set; } = 2;

    public TimeSpan ResponseDelay
    {
        get { lock (_gate) { return _responseDelay; } }
        set { lock (_gate) { _responseDelay = value; } }
    }

    /// <summary>Requests to <paramref name="endpoint"/> wait <paramref name="delay"/> (instead of <see cref="ResponseDelay"/>) before they are handled.</summary>
    public void Delay(PlannerFakeEndpoint endpoint, TimeSpan delay)
    {
        lock (_gate)
        {
            _delays[endpoint] = delay;
        }
    }

    public IReadOnlyList<PlannerFakeRequest> Requests
    {
        get { lock (_gate) { return [.. _requests]; } }
    }

    public IReadOnlyList<PlannerFakeTask> Tasks
    {
        get { lock (_gate) { return [.. _tasks.Select(task => task.Snapshot())]; } }
    }

    public static async Task<PlannerFake> StartAsync(CancellationToken cancellationToken)
    {
        var fake = new PlannerFake();
        fake.Root = await LoopbackServer.StartAsync(fake._app, cancellationToken);
        return fake;
    }

    public int Count(PlannerFakeEndpoint endpoint)
    {
        lock (_gate)
        {
            return _requests.Count(request => request.Endpoint == endpoint);
        }
    }

    /// <summary>Tasks whose title starts with <paramref name="prefix"/> (e.g. an action's marker).</summary>
    public IReadOnlyList<PlannerFakeTask> TasksTitled(string prefix) => [.. Tasks.Where(task => task.Title.StartsWith(prefix, StringComparison.Ordinal))];

    public void ThrottleNext(int count, TimeSpan retryAfter, PlannerFakeEndpoint? endpoint = null) =>
        AddFault(new Fault(count, endpoint, FaultKind.Status, HttpStatusCode.TooManyRequests, "TooManyRequests", retryAfter));

    public void FailNext(int count, HttpStatusCode status, PlannerFakeEndpoint? endpoint = null, string? code = null) =>
        AddFault(new Fault(count, endpoint, FaultKind.Status, status, code ?? status.ToString(), null));

    /// <summary>The next <paramref name="count"/> requests (to <paramref name="endpoint"/> only, if given) take effect, then answer 504.</summary>
    public void LoseNextResponses(int count, PlannerFakeEndpoint? endpoint = null) =>
        AddFault(new Fault(count, endpoint, FaultKind.LoseResponse, HttpStatusCode.GatewayTimeout, "UnknownError", null));

    /// <summary>Just before the next <paramref name="count"/> requests to <paramref name="endpoint"/>, someone else edits the task (or its details).</summary>
    public void EditBeforeNext(int count, PlannerFakeEndpoint endpoint) =>
        AddFault(new Fault(count, endpoint, FaultKind.EditFirst, HttpStatusCode.OK, "", null));

    /// <summary>A person changes the task in Planner; every change gives the task a new ETag.</summary>
    public void Edit(string taskId, int? percentComplete = null, string? assigneeId = null, DateTimeOffset? dueDateTime = null)
    {
        lock (_gate)
        {
            var task = _tasks.Single(task => task.Id == taskId);
            if (percentComplete is { } percent)
            {
                task.SetProgress(percent, DateTimeOffset.UtcNow);
            }

            if (assigneeId is not null)
            {
                task.Assignments.Clear();
                task.Assignments.Add(assigneeId);
            }

            if (dueDateTime is not null)
            {
                task.DueDateTime = dueDateTime;
            }

            task.ETag = NewETag();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static string NewETag() => $"W/\"JzEtVGFzay{Guid.NewGuid():N}\"";

    private void AddFault(Fault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    private Fault? TakeFault(PlannerFakeEndpoint endpoint)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(fault => fault.Endpoint is null || fault.Endpoint == endpoint);
            if (index < 0)
            {
                return null;
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

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var (endpoint, id) = Classify(request.Method, request.Path.Value ?? "");
        TimeSpan delay;
        lock (_gate)
        {
            delay = _delays.GetValueOrDefault(endpoint, _responseDelay);
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        var fault = TakeFault(endpoint);
        HttpStatusCode status;
        if (fault is { Kind: FaultKind.Status })
        {
            if (fault.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            status = await WriteErrorAsync(context, fault.Status, fault.Code, $"Injected {(int)fault.Status} by the fake Planner.");
        }
        else
        {
            if (fault is { Kind: FaultKind.EditFirst } && id is not null)
            {
                EditBehindTheClient(id, endpoint);
            }

            var lose = fault is { Kind: FaultKind.LoseResponse };
            status = await AnswerAsync(context, endpoint, id, lose);
        }

        lock (_gate)
        {
            _requests.Add(new PlannerFakeRequest(endpoint, request.Method, request.Path.Value ?? "", status, Header(request, "Authorization"), Header(request, "If-Match")));
        }
    }

    private void EditBehindTheClient(string id, PlannerFakeEndpoint endpoint)
    {
        lock (_gate)
        {
            var task = _tasks.FirstOrDefault(task => task.Id == id);
            if (task is null)
            {
                return;
            }

            if (endpoint is PlannerFakeEndpoint.PatchDetails or PlannerFakeEndpoint.GetDetails)
            {
                task.DetailsETag = NewETag();
            }
            else
            {
                task.ETag = NewETag();
            }
        }
    }

    private static (PlannerFakeEndpoint Endpoint, string? Id) Classify(string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return (method, segments) switch
        {
            ("POST", ["v1.0", "planner", "tasks"]) => (PlannerFakeEndpoint.CreateTask, null),
            ("GET", ["v1.0", "planner", "buckets", var bucket, "tasks"]) => (PlannerFakeEndpoint.ListBucketTasks, bucket),
            ("GET", ["v1.0", "planner", "plans", var plan, "tasks"]) => (PlannerFakeEndpoint.ListPlanTasks, plan),
            ("GET", ["v1.0", "planner", "tasks", var id]) => (PlannerFakeEndpoint.GetTask, id),
            ("PATCH", ["v1.0", "planner", "tasks", var id]) => (PlannerFakeEndpoint.PatchTask, id),
            ("GET", ["v1.0", "planner", "tasks", var id, "details"]) => (PlannerFakeEndpoint.GetDetails, id),
            ("PATCH", ["v1.0", "planner", "tasks", var id, "details"]) => (PlannerFakeEndpoint.PatchDetails, id),
            _ => (PlannerFakeEndpoint.Other, null),
        };
    }

    private async Task<HttpStatusCode> AnswerAsync(HttpContext context, PlannerFakeEndpoint endpoint, string? id, bool lose)
    {
        switch (endpoint)
        {
            case PlannerFakeEndpoint.CreateTask:
                return await CreateAsync(context, lose);
            case PlannerFakeEndpoint.ListBucketTasks:
                return await ListAsync(context, task => task.BucketId == id, lose);
            case PlannerFakeEndpoint.ListPlanTasks:
                return await ListAsync(context, task => task.PlanId == id, lose);
            case PlannerFakeEndpoint.GetTask:
            case PlannerFakeEndpoint.GetDetails:
                JsonObject? body;
                string? etag;
                lock (_gate)
                {
                    var task = _tasks.FirstOrDefault(task => task.Id == id);
                    body = task is null ? null : endpoint == PlannerFakeEndpoint.GetTask ? task.ToJson() : task.DetailsJson();
                    etag = endpoint == PlannerFakeEndpoint.GetTask ? task?.ETag : task?.DetailsETag;
                }

                return body is null ? await WriteNotFoundAsync(context) : lose ? await WriteLostAsync(context) : await WriteJsonAsync(context, HttpStatusCode.OK, body, etag);
            case PlannerFakeEndpoint.PatchTask:
            case PlannerFakeEndpoint.PatchDetails:
                return await PatchAsync(context, endpoint, id!, lose);
            default:
                return await WriteErrorAsync(context, HttpStatusCode.BadRequest, "BadRequest", $"Resource not found for the segment '{context.Request.Path}'.");
        }
    }

    private async Task<HttpStatusCode> CreateAsync(HttpContext context, bool lose)
    {
        using var json = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var root = json.RootElement;
        if (Text(root, "planId") is not { Length: > 0 } planId || Text(root, "bucketId") is not { Length: > 0 } bucketId || Text(root, "title") is not { Length: > 0 } title)
        {
            return await WriteErrorAsync(context, HttpStatusCode.BadRequest, "BadRequest", "planId, bucketId and title are required.");
        }

        JsonObject body;
        string etag;
        lock (_gate)
        {
            var task = new StoredTask
            {
                Id = $"fakeTask{Interlocked.Increment(ref _taskCounter):D4}{Guid.NewGuid():N}"[..28],
                PlanId = planId,
                BucketId = bucketId,
                Title = title,
                Priority = root.TryGetProperty("priority", out var priority) && priority.ValueKind == JsonValueKind.Number ? priority.GetInt32() : 5,
                DueDateTime = Text(root, "dueDateTime") is { } due ? DateTimeOffset.Parse(due, CultureInfo.InvariantCulture) : null,
                CreatedAt = DateTimeOffset.UtcNow,
                ETag = NewETag(),
                DetailsETag = NewETag(),
            };
            if (root.TryGetProperty("assignments", out var assignments) && assignments.ValueKind == JsonValueKind.Object)
            {
                task.Assignments.AddRange(assignments.EnumerateObject().Where(assignment => assignment.Value.ValueKind == JsonValueKind.Object).Select(assignment => assignment.Name));
            }

            _tasks.Add(task);
            body = task.ToJson();
            etag = task.ETag;
        }

        return lose ? await WriteLostAsync(context) : await WriteJsonAsync(context, HttpStatusCode.Created, body, etag);
    }

    private async Task<HttpStatusCode> ListAsync(HttpContext context, Func<StoredTask, bool> filter, bool lose)
    {
        var skip = int.TryParse(context.Request.Query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var token) ? token : 0;
        JsonObject body;
        lock (_gate)
        {
            var all = _tasks.Where(filter).ToList();
            var page = all.Skip(skip).Take(PageSize).Select(task => (JsonNode)task.ToJson()).ToArray();
            body = new JsonObject { ["@odata.context"] = $"{Root}v1.0/$metadata#Collection(microsoft.graph.plannerTask)", ["value"] = new JsonArray(page) };
            if (skip + PageSize < all.Count)
            {
                body["@odata.nextLink"] = $"{Root.ToString().TrimEnd('/')}{context.Request.Path}?$skiptoken={(skip + PageSize).ToString(CultureInfo.InvariantCulture)}";
            }
        }

        return lose ? await WriteLostAsync(context) : await WriteJsonAsync(context, HttpStatusCode.OK, body, null);
    }

    private async Task<HttpStatusCode> PatchAsync(HttpContext context, PlannerFakeEndpoint endpoint, string id, bool lose)
    {
        using var json = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var root = json.RootElement;
        var ifMatch = Header(context.Request, "If-Match");
        if (string.IsNullOrEmpty(ifMatch))
        {
            return await WriteErrorAsync(context, HttpStatusCode.BadRequest, "BadRequest", "The If-Match header must be specified for this kind of request.");
        }

        bool found;
        var stale = false;
        lock (_gate)
        {
            var task = _tasks.FirstOrDefault(task => task.Id == id);
            found = task is not null;
            if (task is not null)
            {
                var current = endpoint == PlannerFakeEndpoint.PatchTask ? task.ETag : task.DetailsETag;
                stale = ifMatch != current;
                if (!stale)
                {
                    if (endpoint == PlannerFakeEndpoint.PatchTask)
                    {
                        task.Apply(root);
                        task.ETag = NewETag();
                    }
                    else
                    {
                        task.ApplyDetails(root);
                        task.DetailsETag = NewETag();
                    }
                }
            }
        }

        if (!found)
        {
            return await WriteNotFoundAsync(context);
        }

        if (stale)
        {
            return await WriteErrorAsync(context, HttpStatusCode.PreconditionFailed, "PreconditionFailed", "The precondition given in one of the request headers evaluated to false.");
        }

        if (lose)
        {
            return await WriteLostAsync(context);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return HttpStatusCode.NoContent;
    }

    private static Task<HttpStatusCode> WriteLostAsync(HttpContext context) => WriteErrorAsync(context, HttpStatusCode.GatewayTimeout, "UnknownError", "");

    private static Task<HttpStatusCode> WriteNotFoundAsync(HttpContext context) =>
        WriteErrorAsync(context, HttpStatusCode.NotFound, "NotFound", "The requested item is not found.");

    private static Task<HttpStatusCode> WriteErrorAsync(HttpContext context, HttpStatusCode status, string code, string message)
    {
        var requestId = Guid.NewGuid().ToString();
        return WriteJsonAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject { ["request-id"] = requestId, ["client-request-id"] = requestId },
            },
        }, null);
    }

    private static async Task<HttpStatusCode> WriteJsonAsync(HttpContext context, HttpStatusCode status, JsonObject body, string? etag)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";
        if (etag is not null)
        {
            context.Response.Headers.ETag = etag;
        }

        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
        return status;
    }

    private static string? Header(HttpRequest request, string name) => request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private enum FaultKind
    {
        Status,
        LoseResponse,
        EditFirst,
    }

    private sealed record Fault(int Remaining, PlannerFakeEndpoint? Endpoint, FaultKind Kind, HttpStatusCode Status, string Code, TimeSpan? RetryAfter);

    private sealed class StoredTask
    {
        public string Id { get; init; } = "";

        public string PlanId { get; init; } = "";

        public string BucketId { get; init; } = "";

        public string Title { get; set; } = "";

        public int PercentComplete { get; set; }

        public int? Priority { get; set; }

        public DateTimeOffset? DueDateTime { get; set; }

        public List<string> Assignments { get; } = [];

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset? CompletedAt { get; set; }

        public string ETag { get; set; } = "";

        public string? Description { get; set; }

        /// <summary>Checklist items by key, in insertion order.</summary>
        public List<(string Key, string Title, bool IsChecked)> Checklist { get; } = [];

        public string DetailsETag { get; set; } = "";

        public void SetProgress(int percent, DateTimeOffset now)
        {
            PercentComplete = percent;
            CompletedAt = percent == 100 ? now : null;
        }

        public void Apply(JsonElement patch)
        {
            foreach (var property in patch.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "percentComplete":
                        SetProgress(property.Value.GetInt32(), DateTimeOffset.UtcNow);
                        break;
                    case "title":
                        Title = property.Value.GetString() ?? Title;
                        break;
                    case "priority":
                        Priority = property.Value.GetInt32();
                        break;
                    case "dueDateTime":
                        DueDateTime = property.Value.ValueKind == JsonValueKind.Null ? null : DateTimeOffset.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture);
                        break;
                }
            }
        }

        public void ApplyDetails(JsonElement patch)
        {
            if (patch.TryGetProperty("description", out var description))
            {
                Description = description.GetString();
            }

            if (patch.TryGetProperty("checklist", out var checklist) && checklist.ValueKind == JsonValueKind.Object)
            {
                foreach (var item in checklist.EnumerateObject())
                {
                    var index = Checklist.FindIndex(existing => existing.Key == item.Name);
                    if (item.Value.ValueKind == JsonValueKind.Null)
                    {
                        if (index >= 0)
                        {
                            Checklist.RemoveAt(index);
                        }

                        continue;
                    }

                    var title = Text(item.Value, "title") ?? (index >= 0 ? Checklist[index].Title : "");
                    var isChecked = item.Value.TryGetProperty("isChecked", out var checkedValue) ? checkedValue.GetBoolean() : index >= 0 && Checklist[index].IsChecked;
                    if (index >= 0)
                    {
                        Checklist[index] = (item.Name, title, isChecked);
                    }
                    else
                    {
                        Checklist.Add((item.Name, title, isChecked));
                    }
                }
            }
        }

        public PlannerFakeTask Snapshot() => new(
            Id, PlanId, BucketId, Title, PercentComplete, Priority, DueDateTime, [.. Assignments], CreatedAt, CompletedAt, ETag, Description,
            [.. Checklist.Select(item => item.Title)], DetailsETag);

        public JsonObject ToJson()
        {
            var assignments = new JsonObject();
            foreach (var assignee in Assignments)
            {
                assignments[assignee] = new JsonObject
                {
                    ["@odata.type"] = "#microsoft.graph.plannerAssignment",
                    ["assignedDateTime"] = Time(CreatedAt),
                    ["orderHint"] = "8585269241124629455",
                    ["assignedBy"] = new JsonObject { ["user"] = new JsonObject { ["displayName"] = null, ["id"] = "00000000-0000-0000-0000-00000000a999" } },
                };
            }

            return new JsonObject
            {
                ["@odata.etag"] = ETag,
                ["planId"] = PlanId,
                ["bucketId"] = BucketId,
                ["title"] = Title,
                ["orderHint"] = "8585269241124629456",
                ["assigneePriority"] = "",
                ["percentComplete"] = PercentComplete,
                ["priority"] = Priority,
                ["startDateTime"] = null,
                ["createdDateTime"] = Time(CreatedAt),
                ["dueDateTime"] = DueDateTime is { } due ? Time(due) : null,
                ["hasDescription"] = !string.IsNullOrEmpty(Description),
                ["previewType"] = "automatic",
                ["completedDateTime"] = CompletedAt is { } completed ? Time(completed) : null,
                ["completedBy"] = null,
                ["referenceCount"] = 0,
                ["checklistItemCount"] = Checklist.Count,
                ["activeChecklistItemCount"] = Checklist.Count(item => !item.IsChecked),
                ["conversationThreadId"] = null,
                ["id"] = Id,
                ["createdBy"] = new JsonObject { ["user"] = new JsonObject { ["displayName"] = null, ["id"] = "00000000-0000-0000-0000-00000000a999" } },
                ["appliedCategories"] = new JsonObject(),
                ["assignments"] = assignments,
            };
        }

        public JsonObject DetailsJson()
        {
            var checklist = new JsonObject();
            foreach (var (key, title, isChecked) in Checklist)
            {
                checklist[key] = new JsonObject
                {
                    ["@odata.type"] = "#microsoft.graph.plannerChecklistItem",
                    ["isChecked"] = isChecked,
                    ["title"] = title,
                    ["orderHint"] = "8585269241124629457",
                    ["lastModifiedDateTime"] = Time(CreatedAt),
                };
            }

            return new JsonObject
            {
                ["@odata.etag"] = DetailsETag,
                ["description"] = Description,
                ["previewType"] = "automatic",
                ["id"] = Id,
                ["references"] = new JsonObject(),
                ["checklist"] = checklist,
            };
        }

        private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
    }
}
