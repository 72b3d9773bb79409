namespace FunctionsPortal.Storage;

/// <summary>
/// First in the pipeline while storage is not initialized yet: <c>GET /</c> (the Functions host's readiness probe) and
/// <c>/healthz</c> are answered at once and start the initialization when their answer has gone out; any other request
/// starts it and waits for it (at most <see cref="MaxWait"/>, then runs and meets storage as it is), so a page on a
/// fresh storage account finds its tables.
/// </summary>
internal sealed class StorageOnDemand(StorageReadiness readiness) : IStartupFilter
{
    internal static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (!readiness.IsReady)
            {
                if (AnsweredWithoutStorage(context.Request))
                {
                    context.Response.OnCompleted(() =>
                    {
                        readiness.Want();
                        return Task.CompletedTask;
                    });
                }
                else
                {
                    // Real time: a bound on an outage, like the storage clients' own retry delays.
                    await Task.WhenAny(readiness.WhenReadyAsync(context.RequestAborted), Task.Delay(MaxWait, context.RequestAborted));
                }
            }

            await nextMiddleware(context);
        });
        next(app);
    };

    private static bool AnsweredWithoutStorage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.Value is "/" or "/healthz";
}
