namespace FunctionsPortal.Storage;

/// <summary>
/// Opens a <see cref="StorageOperationScope"/> for every request and reports its count in a <c>Server-Timing</c>
/// header (counts only, no names or keys): how the tests and the benchmark see a page's storage round trips.
/// </summary>
internal sealed class StorageOperationCounting : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
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
        });
        next(app);
    };
}
