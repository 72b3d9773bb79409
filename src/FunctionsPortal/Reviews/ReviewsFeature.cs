using FunctionsPortal.Hosting;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Reviews;

public static class ReviewsFeature
{
    /// <summary>Staff decisions on a submission: request changes, accept (with a second reviewer when configured), notes, reassessments (the moves themselves are the assignment store's).</summary>
    public static IHostApplicationBuilder AddReviews(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpJsonTypes(ReviewsJsonContext.Default);
        builder.Services.AddOptions<ReviewOptions>().BindConfiguration(ReviewOptions.SectionName).ValidateOnStart();
        builder.Services.AddStorageResource(StorageResourceKind.Table, ReviewRecords.TableName);
        builder.Services.AddSingleton<ReviewRecords>();
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
