using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.Settings;

namespace FunctionsPortal.Hosting;

public static class HostingFeature
{
    /// <summary>
    /// Process concerns: where Kestrel listens (127.0.0.1:$FUNCTIONS_CUSTOMHANDLER_PORT under the Functions host),
    /// structured logs, OpenTelemetry, ProblemDetails and OpenAPI.
    /// </summary>
    public static IHostApplicationBuilder AddPortalHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var mode = HostingMode.Detect(builder.Configuration);
        builder.Services.AddSingleton(mode);
        builder.Services.AddSingleton(TimeProvider.System);

        if (mode.IsFunctionsHost)
        {
            // The host calls http://127.0.0.1:<port>; nothing else may reach this process directly.
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, mode.CustomHandlerPort!.Value));
        }

        if (!builder.Environment.IsDevelopment())
        {
            // One JSON object per line: what the Functions host and Application Insights ingest best.
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        builder.AddPortalTelemetry();
        builder.Services.AddOptions<RequestLimitsOptions>()
            .BindConfiguration(RequestLimitsOptions.SectionName)
            .ValidateWith(new ValidateRequestLimitsOptions())
            .ValidateOnStart();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
            {
                context.ProblemDetails.Title = "Request too large / 送信内容が大きすぎます";
                context.ProblemDetails.Detail = context.Exception is BodyTooLargeException tooLarge
                    ? $"This endpoint takes at most {tooLarge.Limit:N0} bytes; nothing was taken."
                    : "The request was over this endpoint's limit; nothing was taken.";
            }
        });
        // /healthz runs whatever checks the capabilities register (poison queues, say).
        builder.Services.AddHealthChecks();
        // A request the app refuses while reading it (a form without its antiforgery token, a body over the limit) is the client's fault: 4xx, not 500.
        builder.Services.Configure<ExceptionHandlerOptions>(options =>
            options.StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        builder.Services.AddOpenApi();
        builder.AddRequestThrottling();
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.WriteIndented = false);
        builder.Services.AddHttpJsonTypes(HostingJsonContext.Default);
        return builder;
    }

    public static WebApplication UsePortalHosting(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseResponseSecurityHeaders(app.Services.GetRequiredService<HostingMode>().IsFunctionsHost);
        // Unhandled errors become ProblemDetails without a stack trace; status codes without a body get one too.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        // After sign-in (staff changes are counted per person), before authorization and any handler's storage reads.
        app.UseRequestThrottling();
        app.UseAuthorization();
        // Before anything reads a body (antiforgery reads forms): every body is counted against its endpoint's limit.
        app.UseBoundedBodies();
        return app;
    }

    public static IEndpointRouteBuilder MapPortalHosting(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // In Development the home page leads a newcomer to the local outbox (when it is mapped: no Graph sender) and the
        // staff console; looked up once, after every feature has mapped its routes. Only there: listing the endpoints
        // builds every route group's handlers a second time, on the cold instance's first request (the host's probe).
        var development = endpoints.ServiceProvider.GetRequiredService<IWebHostEnvironment>().IsDevelopment();
        var home = new Lazy<string>(() => HomePage(development, development && endpoints.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>().Any(endpoint => endpoint.RoutePattern.RawText == "/outbox")));
        endpoints.MapGet("/", () => TypedResults.Content(home.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
        endpoints.MapGet("/healthz", HealthEndpoint.GetAsync).WithName("Health").WithTags("Operations");
        var openApi = endpoints.MapOpenApi("/openapi/{documentName}.json");
        if (!endpoints.ServiceProvider.GetRequiredService<IWebHostEnvironment>().IsDevelopment())
        {
            // The API's map is for staff: outside Development it takes a staff sign-in like the API itself.
            openApi.RequireAuthorization(StaffRoles.StaffPolicy);
        }

        return endpoints;
    }

    /// <summary>Cheap and always answering: the Functions host polls <c>GET /</c> to know the handler is up.</summary>
    internal static string HomePage(bool development, bool localOutbox) =>
        $"""
        <!doctype html>
        <html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>委託先セルフアセスメント | Vendor self-assessment</title></head>
        <body><main><h1>委託先セルフアセスメント <small lang="en">Vendor self-assessment portal</small></h1>
        <ul>{(localOutbox ? """<li><a href="/outbox" id="local-outbox">ローカル送信箱（送信したメールと調査リンク） <span lang="en">Local outbox (mails sent, with the survey links)</span></a></li>""" : "")}{(development ? """<li><a href="/staff">職員用画面 <span lang="en">Staff console</span></a></li>""" : "")}<li><a href="/healthz">稼働状況 <span lang="en">Health</span></a></li>
        <li><a href="/openapi/v1.json">API (OpenAPI)</a></li></ul></main></body></html>
        """;
}
