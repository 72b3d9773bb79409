namespace FunctionsPortal.Tests.Fakes;

/// <summary>The Planner calls <see cref="PlannerFake"/> understands; faults can target one of them.</summary>
public enum PlannerFakeEndpoint
{
    /// <summary>POST /v1.0/planner/tasks.</summary>
    CreateTask,

    /// <summary>GET /v1.0/planner/buckets/{id}/tasks.</summary>
    ListBucketTasks,

    /// <summary>GET /v1.0/planner/plans/{id}/tasks.</summary>
    ListPlanTasks,

    /// <summary>GET /v1.0/planner/tasks/{id}.</summary>
    GetTask,

    /// <summary>PATCH /v1.0/planner/tasks/{id}.</summary>
    PatchTask,

    /// <summary>GET /v1.0/planner/tasks/{id}/details.</summary>
    GetDetails,

    /// <summary>PATCH /v1.0/planner/tasks/{id}/details.</summary>
    PatchDetails,

    Other,
}
