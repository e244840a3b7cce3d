using Boucle.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Territories;

public sealed record TerritorySummary(int Id, string Slug, string Name, double Latitude, double Longitude, double DefaultRadiusKm);

public static class TerritoryQueries
{
    /// The instance's main territory, or the first one when none is marked main.
    public static Task<TerritorySummary?> MainAsync(AppDbContext db, CancellationToken ct) =>
        db.Territories.AsNoTracking().OrderByDescending(t => t.IsMain).ThenBy(t => t.Id)
            .Select(t => new TerritorySummary(t.Id, t.Slug, t.Name, t.CenterLatitude, t.CenterLongitude, t.DefaultRadiusKm))
            .FirstOrDefaultAsync(ct);

    /// Whether a parameter can name a territory at all: PostgreSQL refuses a NUL in a text comparison, and
    /// no slug is longer than its column.
    public static bool CanBeSlug(string value) => value.Length <= 64 && !value.Any(char.IsControl);
}
