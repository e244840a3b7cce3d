using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewComponents;

namespace Boucle.Web.Features.Workspace;

/// The navigation links of facilitators ("Structures") and administrators ("Territoires").
public sealed class WorkspaceNavViewComponent(CurrentActor actor) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var me = await actor.GetAsync(HttpContext.RequestAborted);
        var html = (me.IsAdministrator || me.FacilitatedTerritories.Count > 0 ? "<li><a href=\"/animation/acteurs\">Structures</a></li>" : "")
            + (me.IsAdministrator ? "<li><a href=\"/admin/territoires\">Territoires</a></li>" : "");
        return new HtmlContentViewComponentResult(new HtmlString(html));
    }
}
