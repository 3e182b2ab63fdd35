using Microsoft.AspNetCore.Components;

namespace MutualAid.Web.Components;

/// <summary>
/// A component that renders once its data is loaded: after the whole of its initialisation, and after an
/// event once the whole handler has run. <see cref="ComponentBase"/> renders as soon as
/// <c>OnInitializedAsync</c> or a handler first awaits. On PostgreSQL a query truly awaits, so that early
/// render read fields not loaded yet, and the components it created queried the request's one
/// <c>DbContext</c> while the page's own query was running (SQLite's driver completes synchronously,
/// which hid both). Every component under Components inherits it (<c>_Imports.razor</c>).
/// </summary>
public abstract class PageBase : ComponentBase, IHandleEvent
{
    private bool _initialized;

    public override async Task SetParametersAsync(ParameterView parameters)
    {
        parameters.SetParameterProperties(this);
        if (!_initialized)
        {
            _initialized = true;
            OnInitialized();
            await OnInitializedAsync();
        }
        OnParametersSet();
        await OnParametersSetAsync();
        StateHasChanged();
    }

    async Task IHandleEvent.HandleEventAsync(EventCallbackWorkItem callback, object? arg)
    {
        await callback.InvokeAsync(arg);
        StateHasChanged();
    }
}

/// <summary>A layout that renders its page only once it has loaded (<see cref="PageBase"/>).</summary>
public abstract class LayoutBase : PageBase
{
    [Parameter]
    public RenderFragment? Body { get; set; }
}
