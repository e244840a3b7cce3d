using System.Security.Claims;
using System.Text.RegularExpressions;
using System.Threading.RateLimiting;
using Boucle.Web.Features.Accounts;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Api;

public static partial class RateLimits
{
    /// Sign-in (with its second step), sign-up and the password-reset forms: per client address.
    private static readonly string[] AccountForms = ["/connexion", "/inscription", "/mot-de-passe-oublie", "/reinitialiser-mot-de-passe"];

    /// Limits where abuse is cheap: account forms (guessing, mail bombing), messages, photo uploads
    /// (the listing forms) and API token creation (per person once signed in), and the API.
    /// Runs after authentication so that signed-in people are counted as themselves.
    public static IServiceCollection AddRateLimits(this IServiceCollection services) => services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.OnRejected = async (context, ct) =>
        {
            var response = context.HttpContext.Response;
            response.Headers.RetryAfter = "60";
            if (!context.HttpContext.Request.Path.StartsWithSegments("/api"))
            {
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync("Trop de demandes en peu de temps : attendez une minute puis réessayez.", ct);
            }
        };
        o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var ip = context.Connection.RemoteIpAddress?.ToString() ?? "inconnu";
            var path = context.Request.Path;
            var post = HttpMethods.IsPost(context.Request.Method);
            if (post && AccountForms.Any(f => path.StartsWithSegments(f)))
            {
                var limit = context.RequestServices.GetRequiredService<IOptions<BoucleOptions>>().Value.AccountFormsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter("account:" + ip, _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1) });
            }

            if (post && IsWrite(path))
            {
                var who = context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? ip;
                var limit = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.WritesPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter("write:" + who, _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1) });
            }

            if (path.StartsWithSegments("/api/v1"))
            {
                // Configurable so that a load test from one address can measure the API itself.
                var per10Seconds = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<BoucleOptions>>().Value.ApiRequestsPer10Seconds;
                return RateLimitPartition.GetTokenBucketLimiter("api:" + ip, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = per10Seconds * 2,
                    TokensPerPeriod = per10Seconds,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(10),
                    QueueLimit = 0,
                });
            }

            return RateLimitPartition.GetNoLimiter("none");
        });
    });

    /// Messages (new conversation, replies), listing forms (photo uploads) and token creation.
    public static bool IsWrite(PathString path) =>
        path.StartsWithSegments("/messages") || path.StartsWithSegments("/mon-espace/jetons") || path.StartsWithSegments("/annonces/nouvelle")
        || ListingEdit().IsMatch(path.Value ?? "");

    [GeneratedRegex(@"^/annonces/\d+/modifier/?$")]
    private static partial Regex ListingEdit();
}
