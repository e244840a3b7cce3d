using System.Security.Claims;
using Boucle.Web.Data;
using Boucle.Web.Features.Organisations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Accounts;

public static class AccountServices
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SecurityOptions>(configuration.GetSection("Boucle:Security"));
        var security = configuration.GetSection("Boucle:Security").Get<SecurityOptions>() ?? new SecurityOptions();
        services.AddSingleton(new CommonPasswords());
        services.AddIdentity<AppUser, IdentityRole>(o =>
            {
                // NIST 800-63B: length over composition rules.
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedEmail = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<FrenchIdentityErrorDescriber>()
            .AddPasswordValidator<CommonPasswordValidator>();

        // A password change, a reset or a new second factor changes the security stamp: every other
        // session of the person is signed out at its next check.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromSeconds(security.StampCheckSeconds));

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/connexion";
            o.LogoutPath = "/deconnexion";
            o.AccessDeniedPath = "/acces-refuse";
            o.Cookie.Name = "boucle.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Ends after inactivity (sliding), and at the latest AbsoluteHours after sign-in.
            o.ExpireTimeSpan = TimeSpan.FromMinutes(security.IdleMinutes);
            o.SlidingExpiration = true;
            var validateStamp = o.Events.OnValidatePrincipal;
            o.Events.OnSigningIn = ctx =>
            {
                ctx.Properties.Items.TryAdd(StartedKey, ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToString("O"));
                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = async ctx =>
            {
                var now = ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                if (ctx.Properties.Items.TryGetValue(StartedKey, out var started)
                    && DateTimeOffset.TryParse(started, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var since)
                    && now - since > TimeSpan.FromHours(security.AbsoluteHours))
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }

                await validateStamp(ctx);
            };
            // The API never redirects to a sign-in page: it answers 401/403.
            o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "boucle.af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o => o.Filters.Add(new Shared.UnknownHandlerFilter()));
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentActor>();
        services.AddAuthorization();
        return services;
    }

    private const string StartedKey = "boucle.started";

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}

/// Who is acting: the signed-in person, the organisation they act for and what they may do.
public sealed class CurrentActor(IHttpContextAccessor accessor, AppDbContext db)
{
    private ActorInfo? _info;

    public string? UserId => accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier);

    public bool IsSignedIn => UserId is not null;

    public async Task<ActorInfo> GetAsync(CancellationToken ct = default)
    {
        if (_info is not null)
        {
            return _info;
        }

        var userId = UserId;
        if (userId is null)
        {
            return _info = ActorInfo.Anonymous;
        }

        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.IsAdministrator, u.CurrentOrganisationId, u.DisplayName, u.Email }).SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return _info = ActorInfo.Anonymous;
        }

        var memberships = await db.Memberships.AsNoTracking().Where(m => m.UserId == userId)
            .OrderBy(m => m.Organisation!.Name)
            .Select(m => new OrganisationRole(m.OrganisationId, m.Organisation!.Name, m.Role, m.Organisation.TerritoryId))
            .ToListAsync(ct);
        var territories = await db.TerritoryFacilitators.AsNoTracking().Where(f => f.UserId == userId).Select(f => f.TerritoryId).ToListAsync(ct);
        var current = memberships.FirstOrDefault(m => m.OrganisationId == user.CurrentOrganisationId) ?? memberships.FirstOrDefault();
        return _info = new ActorInfo(userId, user.DisplayName ?? user.Email, user.IsAdministrator, memberships, territories, current);
    }
}

public sealed record OrganisationRole(int OrganisationId, string Name, MemberRole Role, int TerritoryId);

public sealed record ActorInfo(
    string? UserId,
    string? DisplayName,
    bool IsAdministrator,
    IReadOnlyList<OrganisationRole> Memberships,
    IReadOnlyList<int> FacilitatedTerritories,
    OrganisationRole? Current)
{
    public static ActorInfo Anonymous { get; } = new(null, null, false, [], [], null);

    public bool IsMemberOf(int organisationId) => Memberships.Any(m => m.OrganisationId == organisationId);

    public bool CanManage(int organisationId) =>
        Memberships.Any(m => m.OrganisationId == organisationId && m.Role >= MemberRole.Manager);

    public bool Facilitates(int territoryId) => IsAdministrator || FacilitatedTerritories.Contains(territoryId);
}
