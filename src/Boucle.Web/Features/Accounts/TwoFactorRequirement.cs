using System.Security.Claims;
using Boucle.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Accounts;

/// Facilitators and administrators hold other people's data: their pages (/animation, /admin) need
/// two-factor sign-in. One without it is sent to set it up first.
public static class TwoFactorRequirement
{
    public static readonly string[] ProtectedAreas = ["/animation", "/admin"];

    public static IApplicationBuilder UseTwoFactorRequirement(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is not null && ProtectedAreas.Any(a => context.Request.Path.StartsWithSegments(a)))
        {
            var db = context.RequestServices.GetRequiredService<AppDbContext>();
            var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new { u.TwoFactorEnabled, u.IsAdministrator, Facilitates = db.TerritoryFacilitators.Any(f => f.UserId == u.Id) })
                .SingleOrDefaultAsync(context.RequestAborted);
            if (user is { TwoFactorEnabled: false } && (user.IsAdministrator || user.Facilitates))
            {
                context.Response.Redirect("/mon-espace/securite?obligatoire=true");
                return;
            }
        }

        await next();
    });
}
