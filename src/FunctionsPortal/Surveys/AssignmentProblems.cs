using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.Surveys;

/// <summary>The ProblemDetails every API acting on an assignment answers with, worded once.</summary>
internal static class AssignmentProblems
{
    public static NotFound<ProblemDetails> NotFound(string key) =>
        TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Assignment not found / 依頼が見つかりません", Detail = $"There is no assignment {key}." });

    /// <summary>The assignment's status does not allow this now (see <see cref="AssignmentStatus"/>).</summary>
    public static Conflict<ProblemDetails> NotPossibleNow(string detail) =>
        TypedResults.Conflict(new ProblemDetails { Status = 409, Title = "Not possible now / 現在の状態では実行できません", Detail = detail });
}
