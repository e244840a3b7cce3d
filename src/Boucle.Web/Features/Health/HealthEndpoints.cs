using Boucle.Web.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Health;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> (AppDbContext db, CancellationToken ct) =>
        {
            try
            {
                // A real query, not just an open socket: the migrations must have run.
                var territories = await db.Territories.CountAsync(ct);
                return TypedResults.Ok(new HealthReport("ok", db.IsPostgres ? "postgresql" : "sqlite", territories));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return TypedResults.Json(new HealthReport("unavailable", db.IsPostgres ? "postgresql" : "sqlite", null), statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).ExcludeFromDescription();
        return app;
    }

    public static IEndpointRouteBuilder MapCulture(this IEndpointRouteBuilder app)
    {
        // A plain form post switches the language, so it works without JavaScript.
        app.MapPost("/langue", async (HttpContext context) =>
        {
            // The form is read only once its antiforgery token is known good (reading it otherwise throws).
            if (context.Features.Get<Microsoft.AspNetCore.Antiforgery.IAntiforgeryValidationFeature>() is { IsValid: false } || !context.Request.HasFormContentType)
            {
                // Answered here: the French error page, re-executed as a post, would read the form again.
                return Results.Text("Formulaire expiré : rechargez la page puis réessayez.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var culture = form["culture"].ToString();
            var returnUrl = form["returnUrl"].ToString();
            var chosen = culture == "en" ? "en" : "fr-FR";
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = context.Request.IsHttps });
            return Results.LocalRedirect(Shared.ReturnAddress.Local(returnUrl) ?? "/");
        }).ExcludeFromDescription().WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        return app;
    }
}

public sealed record HealthReport(string Status, string Database, int? Territories);
