namespace FunctionsPortal.Reviews;

public static class ReviewsFeature
{
    /// <summary>Staff decisions on a submission: request changes, accept (the moves themselves are the assignment store's).</summary>
    public static IEndpointRouteBuilder MapReviews(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapReviewsApi();
        return endpoints;
    }
}
