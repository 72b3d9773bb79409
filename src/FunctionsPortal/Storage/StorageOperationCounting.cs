namespace FunctionsPortal.Storage;

/// <summary>
/// Opens a <see cref="StorageOperationScope"/> for every request and reports its count in a <c>Server-Timing</c>
/// header (counts only, no names or keys): how the tests and the benchmark see a page's storage round trips. A request
/// that scanned a table (a query confined to no partition) is logged as a warning: none should, a person waits for it.
/// </summary>
internal sealed partial class StorageOperationCounting : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var logger = app.ApplicationServices.GetRequiredService<ILogger<StorageOperationCounting>>();
        app.Use(async (context, following) =>
        {
            using var scope = StorageOperationScope.Begin();
            context.Features.Set(scope);
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.Append("Server-Timing", scope.ServerTiming());
                return Task.CompletedTask;
            });
            await following(context);
            if (scope.Count(StorageOperationKind.Scan) is var scans and > 0)
            {
                LogScans(logger, context.GetEndpoint()?.DisplayName ?? "(no endpoint)", scans);
            }
        });
        next(app);
    };

    // The endpoint's route pattern, never the path: a path holds the vendor's link token.
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Endpoint} scanned a table {Scans} times: a request path should read by key or one partition")]
    private static partial void LogScans(ILogger logger, string endpoint, long scans);
}
