using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPortal.VendorPages.Shell;

/// <summary>What every vendor page is given: the shared page context, plus whatever the page itself shows.</summary>
public interface IVendorPageView
{
    VendorPageContext Page { get; }
}

/// <summary>A page's view model, tied to the page that renders it (so <see cref="VendorPageResults.Render{TPage}"/> infers the page).</summary>
public interface IVendorPageView<TPage> : IVendorPageView
    where TPage : IComponent;

/// <summary>
/// The base of every routable vendor page: a single typed <see cref="View"/> parameter, so a missing or misspelt value
/// is a compile error in the handler rather than a failure at render time.
/// </summary>
public abstract class VendorPageComponent<TView> : ComponentBase
    where TView : IVendorPageView
{
    [Parameter, EditorRequired]
    public TView View { get; set; } = default!;

    protected VendorPageContext Page => View.Page;
}

public static class VendorPageResults
{
    public static RazorComponentResult<TPage> Render<TPage>(IVendorPageView<TPage> view, int statusCode = StatusCodes.Status200OK)
        where TPage : IComponent =>
        new(new Dictionary<string, object?> { [nameof(VendorPageComponent<IVendorPageView>.View)] = view })
        {
            StatusCode = statusCode,
            ContentType = "text/html; charset=utf-8",
        };
}
