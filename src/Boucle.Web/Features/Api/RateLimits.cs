using System.Threading.RateLimiting;

namespace Boucle.Web.Features.Api;

public static class RateLimits
{
    private static readonly string[] AccountForms = ["/connexion", "/inscription", "/mot-de-passe-oublie", "/reinitialiser-mot-de-passe"];

    /// Limits where abuse is cheap: account forms (guessing, mail bombing) and the API, per client address.
    public static IServiceCollection AddRateLimits(this IServiceCollection services) => services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var ip = context.Connection.RemoteIpAddress?.ToString() ?? "inconnu";
            var path = context.Request.Path;
            if (HttpMethods.IsPost(context.Request.Method) && AccountForms.Any(f => path.StartsWithSegments(f)))
            {
                var limit = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<BoucleOptions>>().Value.AccountFormsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter("account:" + ip, _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1) });
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
}
