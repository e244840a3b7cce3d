namespace Boucle.Web.Features.Api;

public static class SecurityHeaders
{
    /// No inline scripts anywhere: every script is a file under /lib or /js. Map tiles are the only
    /// third-party content, and only images.
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api") || path.StartsWithSegments("/api/v1"))
        {
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: https:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
        }

        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (context.Request.IsHttps)
        {
            // Browsers ignore it over plain HTTP; set here rather than by UseHsts, which skips localhost.
            headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        }

        if (context.Request.Path.StartsWithSegments("/mon-espace") || context.Request.Path.StartsWithSegments("/connexion"))
        {
            // Personal pages (recovery codes, exports) stay out of shared caches and the back-forward cache.
            headers.CacheControl = "no-store";
        }
        await next();
    });
}
