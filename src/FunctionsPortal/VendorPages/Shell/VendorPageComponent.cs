using FunctionsPortal.Hosting;
using Microsoft.AspNetCore.Components;

namespace FunctionsPortal.VendorPages.Shell;

/// <summary>A vendor page's view model: the page it renders and the shared <see cref="VendorPageContext"/>.</summary>
public interface IVendorPageView<TPage> : IPageView<TPage, VendorPageContext>
    where TPage : IComponent;

/// <summary>The base of every routable vendor page (see <see cref="PageComponent{TView, TContext}"/>).</summary>
public abstract class VendorPageComponent<TView> : PageComponent<TView, VendorPageContext>
    where TView : IPageView<VendorPageContext>;
