namespace FunctionsPortal.Exports;

public static class ExportsFeature
{
    /// <summary>Staff downloads of the registry and of a cycle's assignments, scores, findings and answers (CSV, XLSX).</summary>
    public static IHostApplicationBuilder AddExports(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<CycleReader>();
        return builder;
    }

    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapExportsApi();
    }
}
