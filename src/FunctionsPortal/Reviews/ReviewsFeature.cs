namespace FunctionsPortal.Reviews;

public static class ReviewsFeature
{
    /// <summary>Staff decisions on a submission: request changes, accept (the moves themselves are the assignment store's).</summary>
    public static IHostApplicationBuilder AddReviews(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ReviewDecisions>();
        return builder;
    }

    public static IEndpointRouteBuilder MapReviews(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapReviewsApi();
        return endpoints;
    }
}
