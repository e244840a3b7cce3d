using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Boucle.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.ApiTokens;

/// A personal access token: acts for one person and one of their organisations. Only a hash is kept.
public sealed class ApiToken
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public int OrganisationId { get; set; }
    public required string Name { get; set; }
    public required string Hash { get; set; }

    /// The first characters, shown so that people can tell their tokens apart.
    public required string Prefix { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

public sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.Property(t => t.Hash).HasMaxLength(64);
        builder.Property(t => t.Prefix).HasMaxLength(16);
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.HasOne<Accounts.AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organisations.Organisation>().WithMany().HasForeignKey(t => t.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class ApiTokenFormat
{
    public const string Scheme = "BoucleToken";
    public const string OrganisationClaim = "boucle:organisation";

    public static string NewToken() => "bcl_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    public static string HashOf(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// `Authorization: Bearer bcl_...` on /api/v1: the token's person, acting for the token's organisation.
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AppDbContext db, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith("bcl_", StringComparison.Ordinal) || token.Length > 100)
        {
            return AuthenticateResult.Fail("Jeton invalide.");
        }

        var hash = ApiTokenFormat.HashOf(token);
        var row = await db.Set<ApiToken>().SingleOrDefaultAsync(t => t.Hash == hash && t.RevokedAt == null);
        // The person must still belong to the organisation: leaving it disables the token.
        if (row is null || !await db.Memberships.AnyAsync(m => m.UserId == row.UserId && m.OrganisationId == row.OrganisationId))
        {
            return AuthenticateResult.Fail("Jeton inconnu ou révoqué.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (row.LastUsedAt is null || now - row.LastUsedAt > TimeSpan.FromMinutes(5))
        {
            row.LastUsedAt = now;
            await db.SaveChangesAsync();
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, row.UserId), new Claim(ApiTokenFormat.OrganisationClaim, row.OrganisationId.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            ApiTokenFormat.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiTokenFormat.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
