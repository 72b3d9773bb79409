using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPortal.Hosting;

/// <summary>What every server-rendered page is given: its area's shared page context (language, antiforgery, who).</summary>
public interface IPageView<out TContext>
{
    TContext Page { get; }
}

/// <summary>A page's view model, tied to the page that renders it, so <see cref="PageResults.Render"/> infers the page.</summary>
public interface IPageView<TPage, out TContext> : IPageView<TContext>
    where TPage : IComponent;

/// <summary>
/// The base of every page a handler renders: one typed <see cref="View"/> parameter, so a missing or misspelt value is
/// a compile error in the handler rather than a failure at render time.
/// </summary>
public abstract class PageComponent<TView, TContext> : ComponentBase
    where TView : IPageView<TContext>
{
    [Parameter, EditorRequired]
    public TView View { get; set; } = default!;

    protected TContext Page => View.Page;
}

public static class PageResults
{
    public static RazorComponentResult<TPage> Render<TPage, TContext>(IPageView<TPage, TContext> view, int statusCode = StatusCodes.Status200OK)
        where TPage : IComponent =>
        new(new Dictionary<string, object?> { [nameof(PageComponent<IPageView<TContext>, TContext>.View)] = view })
        {
            StatusCode = statusCode,
            ContentType = "text/html; charset=utf-8",
        };
}
