using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.StaffPages.ActionList;
using FunctionsPortal.StaffPages.Assignments;
using FunctionsPortal.StaffPages.Campaigns;
using FunctionsPortal.StaffPages.CorrectiveActions;
using FunctionsPortal.StaffPages.Dashboard;
using FunctionsPortal.StaffPages.Incidents;
using FunctionsPortal.StaffPages.LocalTasks;
using FunctionsPortal.StaffPages.Reports;
using FunctionsPortal.StaffPages.Shell;
using FunctionsPortal.StaffPages.SignIn;
using FunctionsPortal.StaffPages.Vendors;
using Microsoft.AspNetCore.Authorization;

namespace FunctionsPortal.StaffPages;

public static class StaffPagesFeature
{
    /// <summary>The compliance staff's console under /staff: server-rendered, Japanese first, every page behind a staff role.</summary>
    public static IHostApplicationBuilder AddStaffPages(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorComponents();
        builder.Services.AddAntiforgery();
        builder.Services.AddSingleton<ClosedIncidents>();
        // Staff pages answer a refusal with a sign-in redirect or a page; the API keeps its ProblemDetails.
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, StaffSignIn>();
        return builder;
    }

    public static IEndpointRouteBuilder MapStaffPages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapStaffAssets();
        var staff = endpoints.MapGroup("/staff").ExcludeFromDescription().WithMetadata(new StaffPageEndpoint()).AddEndpointFilter(SecurityHeadersAsync);
        staff.MapGet("/lang/{language}", SwitchLanguage).AllowAnonymous();
        if (endpoints.ServiceProvider.GetRequiredService<IWebHostEnvironment>().IsDevelopment())
        {
            staff.MapDevelopmentSignIn();
        }

        var pages = staff.MapGroup("").RequireAuthorization(StaffRoles.StaffPolicy);
        pages.MapDashboard();
        pages.MapVendors();
        pages.MapAssignments();
        pages.MapCampaigns();
        pages.MapReports();
        pages.MapActionList();
        pages.MapLocalTaskBoard();
        pages.MapCorrectiveActionPages();
        pages.MapIncidentPages();
        return endpoints;
    }

    private static IResult SwitchLanguage(string language, HttpContext context, string? back = null)
    {
        PageLanguage.Remember(context, language);
        return TypedResults.Redirect(PageLanguage.SafeReturn(back, "/staff"));
    }

    private static ValueTask<object?> SecurityHeadersAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        PageSecurityHeaders.Apply(invocation.HttpContext.Response.Headers);
        return next(invocation);
    }
}
