using FunctionsPortal.Evidence;
using FunctionsPortal.Hosting;
using FunctionsPortal.VendorPages.Actions;
using FunctionsPortal.VendorPages.Incidents;
using FunctionsPortal.Responses;
using FunctionsPortal.VendorPages.Landing;
using FunctionsPortal.VendorPages.Receipts;
using FunctionsPortal.VendorPages.Review;
using FunctionsPortal.VendorPages.Sections;
using FunctionsPortal.VendorPages.Shell;
using FunctionsPortal.VendorPages.Subcontracting;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.VendorPages;

public static class VendorPagesFeature
{
    /// <summary>The pages a vendor reaches through its link (/v/{token}/…): server-rendered, Post/Redirect/Get, antiforgery on every form, working without JavaScript.</summary>
    public static IHostApplicationBuilder AddVendorPages(this IHostApplicationBuilder builder)
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
        builder.Services.AddScoped<OpenedVendorLink>();
        builder.Services.AddSingleton<WrongTokenGuard>();
        builder.Services.AddScoped<VendorSession>(services => services.GetRequiredService<OpenedVendorLink>().Require());
        builder.Services.AddSingleton<EvidenceUploads>();
        builder.Services.AddSingleton<VendorSealing>();
        return builder;
    }

    /// <summary>Opens the link's session before a vendor page's handler is bound (see <see cref="VendorLinkGate"/>).</summary>
    public static IApplicationBuilder UseVendorPages(this IApplicationBuilder app) => app.UseVendorLinks();

    public static IEndpointRouteBuilder MapVendorPages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapVendorAssets();
        var limits = endpoints.ServiceProvider.GetRequiredService<IOptions<EvidenceOptions>>().Value;
        // One post may carry several files: allow the whole assignment's allowance plus the answers themselves.
        var uploadLimit = limits.MaxAssignmentBytes + (8L * 1024 * 1024);
        var vendor = endpoints.MapGroup("/v/{token}").ExcludeFromDescription()
            .WithMetadata(new VendorPageEndpoint(OpensLink: false), new ThrottledEndpoint(ThrottleKind.VendorLink, VendorLinkGate.Busy));
        vendor.MapGet("/lang/{language}", VendorLanguage.Switch);
        var pages = vendor.MapGroup("").WithMetadata(new VendorPageEndpoint(OpensLink: true));
        pages.MapLanding();
        pages.MapSections(uploadLimit);
        pages.MapReview();
        pages.MapReceipts();
        pages.MapSubcontracting(uploadLimit);
        // Incident reports: a link that does not open (expired, superseded, revoked) cannot report, like every other page.
        pages.MapIncidentReports();
        // The vendor's corrective actions: these also open through an accepted survey's expired link while any action is open.
        pages.MapGroup("").WithMetadata(new VendorPageEndpoint(OpensLink: true, OpensAfterExpiry: true)).MapActions(uploadLimit);
        return endpoints;
    }
}
