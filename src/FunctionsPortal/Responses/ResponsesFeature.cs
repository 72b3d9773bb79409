using FunctionsPortal.Storage;

namespace FunctionsPortal.Responses;

public static class ResponsesFeature
{
    /// <summary>The vendor's side: pages reached by the link, drafts, evidence uploads, submission and receipts.</summary>
    public static IHostApplicationBuilder AddResponses(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorComponents();
        // Page text is mostly Japanese: write it as UTF-8 text, not as numeric entities (markup is still escaped).
        builder.Services.AddWebEncoders(options => options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "portal-af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddExceptionHandler<VendorErrorHandler>();
        builder.Services.AddSingleton<DraftStore>();
        builder.Services.AddSingleton<VendorSessions>();
        builder.Services.AddScoped<VendorPagePipeline>();
        builder.Services.AddStorageResource(StorageResourceKind.Container, DraftStore.ContainerName);
        return builder;
    }

    public static IEndpointRouteBuilder MapResponses(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapVendorAssets();
        endpoints.MapVendorPages();
        return endpoints;
    }
}
