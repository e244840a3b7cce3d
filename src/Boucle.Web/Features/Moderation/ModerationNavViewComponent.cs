using System.Globalization;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewComponents;

namespace Boucle.Web.Features.Moderation;

/// The navigation links of facilitators ("Modération (N)") and administrators ("Journal").
public sealed class ModerationNavViewComponent(CurrentActor actor, ModerationService moderation) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var me = await actor.GetAsync(HttpContext.RequestAborted);
        if (!me.IsAdministrator && me.FacilitatedTerritories.Count == 0)
        {
            return new HtmlContentViewComponentResult(HtmlString.Empty);
        }

        var waiting = await moderation.WaitingCountAsync(HttpContext.RequestAborted);
        var html = string.Create(CultureInfo.InvariantCulture, $"<li><a href=\"/animation/moderation\">Modération ({waiting})</a></li>");
        if (me.IsAdministrator)
        {
            html += "<li><a href=\"/admin/journal\">Journal</a></li><li><a href=\"/admin/double-authentification\">Accès perdus</a></li>";
        }

        return new HtmlContentViewComponentResult(new HtmlString(html));
    }
}
