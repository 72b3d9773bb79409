namespace FunctionsPortal.Graph;

public static class GraphFeature
{
    /// <summary>Microsoft Graph settings, validated at start-up.</summary>
    public static IHostApplicationBuilder AddGraph(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<GraphOptions>()
            .BindConfiguration(GraphOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
