using System.Net;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>One request <see cref="PlannerFake"/> answered, and how (with the If-Match it carried).</summary>
public sealed record PlannerFakeRequest(PlannerFakeEndpoint Endpoint, string Method, string Path, HttpStatusCode Status, string? Authorization, string? IfMatch);

/// <summary>A task as the fake Planner holds it, with its details.</summary>
public sealed record PlannerFakeTask(
    string Id, string PlanId, string BucketId, string Title, int PercentComplete, int? Priority, DateTimeOffset? DueDateTime, IReadOnlyList<string> AssigneeIds,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string ETag, string? Description, IReadOnlyList<string> Checklist, string DetailsETag);
