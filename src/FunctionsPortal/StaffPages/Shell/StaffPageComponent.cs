using FunctionsPortal.Hosting;
using Microsoft.AspNetCore.Components;

namespace FunctionsPortal.StaffPages.Shell;

/// <summary>A staff page's view model: the page it renders and the shared <see cref="StaffPageContext"/>.</summary>
public interface IStaffPageView<TPage> : IPageView<TPage, StaffPageContext>
    where TPage : IComponent;

/// <summary>The base of every routable staff page (see <see cref="PageComponent{TView, TContext}"/>).</summary>
public abstract class StaffPageComponent<TView> : PageComponent<TView, StaffPageContext>
    where TView : IPageView<StaffPageContext>;
