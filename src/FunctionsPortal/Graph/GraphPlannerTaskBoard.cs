using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using FunctionsPortal.CorrectiveActions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace FunctionsPortal.Graph;

/// <summary>
/// Corrective tasks in Microsoft Planner (plan <see cref="GraphOptions.PlannerPlanId"/>, bucket
/// <see cref="GraphOptions.PlannerBucketId"/>) through the Graph SDK without its retries: every failure becomes a
/// <see cref="TaskBoardStep{T}"/> and the outbox decides (a replayed POST /planner/tasks would create a second task).
/// Writes carry If-Match with the ETag last read, as Planner requires.
/// </summary>
public sealed partial class GraphPlannerTaskBoard : ITaskBoard, IDisposable
{
    /// <summary>Planner shows dates in the viewer's zone; the company's is Japan's, so due dates are read back there.</summary>
    private static readonly TimeSpan Japan = TimeSpan.FromHours(9);

    /// <summary>Planner's limits for a checklist: 20 items of at most 100 characters.</summary>
    private const int MaxChecklistItems = 20;
    private const int MaxChecklistTitle = 100;

    private readonly string _planId;
    private readonly string _bucketId;
    private readonly TimeSpan _requestTimeout;
    private readonly HttpClient _httpClient;
    private readonly GraphServiceClient _graph;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GraphPlannerTaskBoard> _logger;

    public GraphPlannerTaskBoard(
        IOptions<GraphPlannerOptions> options,
        IOptions<GraphMailOptions> mailOptions,
        IOptions<GraphOptions> graphOptions,
        TokenCredential credential,
        TimeProvider timeProvider,
        ILogger<GraphPlannerTaskBoard> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(mailOptions);
        ArgumentNullException.ThrowIfNull(graphOptions);
        ArgumentNullException.ThrowIfNull(credential);
        var graph = graphOptions.Value;
        if (!GraphPlannerOptions.IsConfigured(graph))
        {
            throw new InvalidOperationException("Graph:PlannerPlanId and Graph:PlannerBucketId must both be set for Planner tasks.");
        }

        _planId = graph.PlannerPlanId!;
        _bucketId = graph.PlannerBucketId!;
        _requestTimeout = options.Value.RequestTimeout;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        var baseUrl = options.Value.BaseUrl ?? mailOptions.Value.BaseUrl;
        _httpClient = GraphPipeline.CreateHttpClientWithoutRetries();
        _graph = new GraphServiceClient(_httpClient, GraphPipeline.CreateAuthenticationProvider(credential, baseUrl), baseUrl.ToString().TrimEnd('/'));
    }

    public string Name => "planner";

    public Task<TaskBoardStep<BoardTask?>> FindByMarkerAsync(string actionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(actionId);
        return CallAsync("find task by marker", actionId, async timeout =>
        {
            var page = await _graph.Planner.Buckets[_bucketId].Tasks.GetAsync(cancellationToken: timeout);
            while (page is not null)
            {
                // The oldest wins should a duplicate ever exist: it is the one every earlier run saw.
                var match = page.Value?.Where(task => ActionTaskRequest.ActionIdOf(task.Title) == actionId).OrderBy(task => task.CreatedDateTime).FirstOrDefault();
                if (match is not null)
                {
                    return TaskBoardStep.Done<BoardTask?>(ToBoardTask(match));
                }

                page = page.OdataNextLink is { } next ? await _graph.Planner.Buckets[_bucketId].Tasks.WithUrl(next).GetAsync(cancellationToken: timeout) : null;
            }

            return TaskBoardStep.Done<BoardTask?>(null);
        }, cancellationToken);
    }

    public Task<TaskBoardStep<BoardTask>> CreateAsync(ActionTaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var task = new PlannerTask
        {
            PlanId = _planId,
            BucketId = _bucketId,
            Title = request.Title,
            // Noon UTC is the same calendar day from UTC-11 to UTC+11, Japan included.
            DueDateTime = new DateTimeOffset(request.DueOn.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero),
            Priority = request.Priority,
        };
        if (!string.IsNullOrEmpty(request.AssigneeId))
        {
            task.Assignments = new PlannerAssignments
            {
                AdditionalData = new Dictionary<string, object>
                {
                    [request.AssigneeId] = new PlannerAssignment { OdataType = "#microsoft.graph.plannerAssignment", OrderHint = " !" },
                },
            };
        }

        return CallAsync("create task", request.ActionId, async timeout =>
        {
            var created = await _graph.Planner.Tasks.PostAsync(task, cancellationToken: timeout);
            if (string.IsNullOrEmpty(created?.Id))
            {
                // Never seen; the marker lookup finds the task if it exists.
                return TaskBoardStep.RetryLater<BoardTask>("Planner created a task but returned no id.");
            }

            LogCreated(_logger, created.Id, request.ActionId);
            return TaskBoardStep.Done(ToBoardTask(created));
        }, cancellationToken);
    }

    public Task<TaskBoardStep<BoardTask>> GetTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        return CallAsync("read task", taskId, async timeout =>
            await _graph.Planner.Tasks[taskId].GetAsync(cancellationToken: timeout) is { } task
                ? TaskBoardStep.Done(ToBoardTask(task))
                : TaskBoardStep.Fail<BoardTask>(TaskBoardOutcome.NotFound, $"Planner task {taskId} was not returned."), cancellationToken);
    }

    public Task<TaskBoardStep<BoardTaskDetails>> GetDetailsAsync(string taskId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        return CallAsync("read task details", taskId, async timeout =>
        {
            var details = await _graph.Planner.Tasks[taskId].Details.GetAsync(cancellationToken: timeout);
            if (details is null)
            {
                return TaskBoardStep.Fail<BoardTaskDetails>(TaskBoardOutcome.NotFound, $"Planner task {taskId} has no details.");
            }

            var checklist = details.Checklist?.AdditionalData.Values.Select(ChecklistTitle).OfType<string>().ToList() ?? [];
            return TaskBoardStep.Done(new BoardTaskDetails(taskId, ETagOf(details.AdditionalData), details.Description, checklist));
        }, cancellationToken);
    }

    public Task<TaskBoardStep<bool>> UpdateDetailsAsync(string taskId, string etag, string description, IReadOnlyList<string> checklist, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentNullException.ThrowIfNull(checklist);
        var items = new PlannerChecklistItems
        {
            // Keys derived from the task and position: writing the same checklist again sets the same items, never adds copies.
            AdditionalData = checklist.Take(MaxChecklistItems).Select((title, index) => (Key: ChecklistKey(taskId, index), Title: title))
                .ToDictionary(item => item.Key, item => (object)new PlannerChecklistItem
                {
                    OdataType = "#microsoft.graph.plannerChecklistItem",
                    Title = item.Title.Length > MaxChecklistTitle ? item.Title[..MaxChecklistTitle] : item.Title,
                }),
        };
        var body = new PlannerTaskDetails { Description = description, Checklist = items, PreviewType = PlannerPreviewType.Checklist };
        return CallAsync("write task details", taskId, async timeout =>
        {
            await _graph.Planner.Tasks[taskId].Details.PatchAsync(body, request => request.Headers.Add("If-Match", etag), timeout);
            return TaskBoardStep.Done(true);
        }, cancellationToken);
    }

    public Task<TaskBoardStep<bool>> SetProgressAsync(string taskId, string etag, int percentComplete, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        return CallAsync(percentComplete == 100 ? "complete task" : "set task progress", taskId, async timeout =>
        {
            await _graph.Planner.Tasks[taskId].PatchAsync(new PlannerTask { PercentComplete = percentComplete }, request => request.Headers.Add("If-Match", etag), timeout);
            return TaskBoardStep.Done(true);
        }, cancellationToken);
    }

    public Task<TaskBoardStep<TaskListPage>> ListPageAsync(string? continuation, CancellationToken cancellationToken) =>
        CallAsync("list plan tasks", _planId, async timeout =>
        {
            var page = continuation is null
                ? await _graph.Planner.Plans[_planId].Tasks.GetAsync(cancellationToken: timeout)
                : await _graph.Planner.Plans[_planId].Tasks.WithUrl(continuation).GetAsync(cancellationToken: timeout);
            var tasks = page?.Value?.Where(task => ActionTaskRequest.ActionIdOf(task.Title) is not null).Select(ToBoardTask).ToList() ?? [];
            return TaskBoardStep.Done(new TaskListPage(tasks, page?.OdataNextLink));
        }, cancellationToken);

    public void Dispose()
    {
        _graph.Dispose();
        _httpClient.Dispose();
    }

    private static BoardTask ToBoardTask(PlannerTask task) => new(
        task.Id!,
        task.Title ?? "",
        ETagOf(task.AdditionalData),
        task.PercentComplete ?? 0,
        task.Assignments?.AdditionalData.Keys.ToList() ?? [],
        task.DueDateTime is { } due ? DateOnly.FromDateTime(due.ToOffset(Japan).DateTime) : null,
        task.Priority,
        task.CompletedDateTime);

    /// <summary>A checklist item's title: the SDK leaves the items of this open type untyped when it reads them.</summary>
    private static string? ChecklistTitle(object item) => item switch
    {
        PlannerChecklistItem typed => typed.Title,
        UntypedObject untyped => untyped.GetValue().TryGetValue("title", out var title) && title is UntypedString text ? text.GetValue() : null,
        _ => null,
    };

    private static string ETagOf(IDictionary<string, object>? additionalData) =>
        additionalData is not null && additionalData.TryGetValue("@odata.etag", out var etag) ? etag?.ToString() ?? "" : "";

    private static string ChecklistKey(string taskId, int index) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{taskId}|{index.ToString(CultureInfo.InvariantCulture)}"))[..16]).ToString();

    /// <summary>One Planner call inside a timeout, its failures mapped to step outcomes.</summary>
    private async Task<TaskBoardStep<T>> CallAsync<T>(string operation, string subject, Func<CancellationToken, Task<TaskBoardStep<T>>> call, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_requestTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await call(linked.Token);
        }
        catch (ApiException exception)
        {
            return Classify<T>(operation, subject, exception);
        }
        catch (HttpRequestException exception)
        {
            LogRetryLater(_logger, exception, operation, subject, "Graph unreachable", null);
            return TaskBoardStep.RetryLater<T>($"Graph could not be reached ({exception.Message}).");
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogRetryLater(_logger, exception, operation, subject, "timed out", null);
            return TaskBoardStep.RetryLater<T>($"Planner did not answer within {_requestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; the outcome is unknown.");
        }
    }

    private TaskBoardStep<T> Classify<T>(string operation, string subject, ApiException exception)
    {
        var status = exception.ResponseStatusCode;
        var error = (exception as ODataError)?.Error;
        var code = string.IsNullOrEmpty(error?.Code) ? $"HTTP {status.ToString(CultureInfo.InvariantCulture)}" : error.Code;
        var message = string.IsNullOrEmpty(error?.Message) ? exception.Message : error.Message;
        switch (status)
        {
            case 412:
                return TaskBoardStep.Fail<T>(TaskBoardOutcome.Conflict, $"Planner: the task changed since it was read ({code}).");
            case 404:
                return TaskBoardStep.Fail<T>(TaskBoardOutcome.NotFound, $"Planner has no such task or bucket ({code}: {message}).");
            case 401 or 403:
                // An app registration problem: nothing is decided about the task itself.
                LogAccessRefused(_logger, exception, operation, subject, status, code);
                return TaskBoardStep.Fail<T>(TaskBoardOutcome.Refused,
                    $"Graph refused access ({code}: {message}): the app needs the Tasks.ReadWrite.All (or Group.ReadWrite.All) application permission, with admin consent, and to be able to reach plan {_planId}.");
            case 408 or 429 or >= 500:
                var retryAfter = GraphPipeline.RetryAfter(exception, _timeProvider.GetUtcNow());
                LogRetryLater(_logger, exception, operation, subject, code, retryAfter);
                return TaskBoardStep.RetryLater<T>($"Planner is busy or unavailable ({code}: {message}).", retryAfter);
            case >= 400:
                LogRejected(_logger, exception, operation, subject, status, code);
                return TaskBoardStep.Fail<T>(TaskBoardOutcome.Rejected, $"Planner refused to {operation} ({code}: {message}).");
            default:
                LogRetryLater(_logger, exception, operation, subject, code, null);
                return TaskBoardStep.RetryLater<T>($"Planner answered {operation} unexpectedly ({code}: {message}).");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planner task {TaskId} created for action {ActionId}")]
    private static partial void LogCreated(ILogger logger, string taskId, string actionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Planner {Operation} ({Subject}) must be retried later: {Reason}, retry after {RetryAfter}")]
    private static partial void LogRetryLater(ILogger logger, Exception exception, string operation, string subject, string reason, TimeSpan? retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Planner refused {Operation} ({Subject}): {Status} {Code}")]
    private static partial void LogRejected(ILogger logger, Exception exception, string operation, string subject, int status, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Graph refused access for Planner {Operation} ({Subject}): {Status} {Code}; grant the app the Tasks.ReadWrite.All (or Group.ReadWrite.All) application permission with admin consent")]
    private static partial void LogAccessRefused(ILogger logger, Exception exception, string operation, string subject, int status, string code);
}
