using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Messaging;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Reference;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Workspace;

public sealed record DirectoryRow(int Id, string Name, OrganisationKind Kind, string? NafCode, string? Section, string? Commune, string? CommuneInsee,
    IReadOnlyList<string> Stakes, int Listings, int Messages, int Exchanges, DateOnly? LastMeeting)
{
    public bool Active => Listings + Messages + Exchanges > 0;
}

/// The facilitators' directory of a territory's organisations, with their stakes and their activity on the platform.
[Authorize]
public sealed class DirectoryModel(AppDbContext db, CurrentActor actor, ReferenceData reference, TimeProvider time) : PageModel
{
    public const int MaxRows = 500;

    public IReadOnlyList<(int Id, string Name)> Territories { get; private set; } = [];
    [BindProperty(SupportsGet = true, Name = "territoire")] public int? TerritoryId { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Words { get; set; }
    [BindProperty(SupportsGet = true, Name = "type")] public OrganisationKind? Kind { get; set; }
    [BindProperty(SupportsGet = true, Name = "section")] public string? Section { get; set; }
    [BindProperty(SupportsGet = true, Name = "commune")] public string? Commune { get; set; }
    [BindProperty(SupportsGet = true, Name = "enjeu")] public string? Stake { get; set; }

    /// "actives", "inactives" or empty: activity (listings, messages, exchanges) in the last Months months.
    [BindProperty(SupportsGet = true, Name = "activite")] public string? Activity { get; set; }
    [BindProperty(SupportsGet = true, Name = "mois")] public int Months { get; set; } = 6;

    public IReadOnlyList<DirectoryRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public IReadOnlyList<string> AllStakes { get; private set; } = [];
    public IReadOnlyList<NafCode> Sections { get; private set; } = [];
    public IReadOnlyList<(string Insee, string Name)> Communes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Territories = await WorkspaceAccess.TerritoriesAsync(db, actor, ct);
        if (Territories.Count == 0)
        {
            return Forbid();
        }

        if (TerritoryId is { } wanted && !Territories.Any(t => t.Id == wanted))
        {
            return NotFound();
        }

        var territoryId = TerritoryId ??= Territories[0].Id;
        Months = Math.Clamp(Months, 1, 120);
        var since = time.GetUtcNow().UtcDateTime.AddMonths(-Months);
        var sinceDate = DateOnly.FromDateTime(since);

        var organisations = await db.Organisations.AsNoTracking().Where(o => o.TerritoryId == territoryId)
            .Select(o => new { o.Id, o.Name, o.Kind, o.NafCode, o.CommuneName, o.CommuneInsee }).ToListAsync(ct);
        var ids = organisations.Select(o => o.Id).ToList();
        var stakes = (await db.Set<StakeTag>().AsNoTracking().Where(t => ids.Contains(t.OrganisationId)).ToListAsync(ct))
            .GroupBy(t => t.OrganisationId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(t => t.Tag).Order(StringComparer.Ordinal)]);
        var listings = await db.Listings.AsNoTracking().Where(l => l.TerritoryId == territoryId && l.CreatedAt >= since)
            .GroupBy(l => l.OrganisationId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var messages = await db.Set<Message>().AsNoTracking().Where(m => m.CreatedAt >= since && ids.Contains(m.SenderOrganisationId))
            .GroupBy(m => m.SenderOrganisationId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var counted = db.Exchanges.AsNoTracking().Where(Exchange.Counts).Where(x => x.TerritoryId == territoryId && x.Date >= sinceDate);
        var given = await counted.GroupBy(x => x.GiverOrganisationId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var taken = await counted.GroupBy(x => x.TakerOrganisationId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var meetings = await db.Set<Meeting>().AsNoTracking().Where(m => ids.Contains(m.OrganisationId))
            .GroupBy(m => m.OrganisationId).Select(g => new { g.Key, Last = g.Max(m => m.Date) }).ToDictionaryAsync(g => g.Key, g => g.Last, ct);

        var all = organisations.Select(o => new DirectoryRow(o.Id, o.Name, o.Kind, o.NafCode, reference.Naf(o.NafCode)?.Section, o.CommuneName, o.CommuneInsee,
            stakes.GetValueOrDefault(o.Id) ?? [], listings.GetValueOrDefault(o.Id), messages.GetValueOrDefault(o.Id),
            given.GetValueOrDefault(o.Id) + taken.GetValueOrDefault(o.Id), meetings.TryGetValue(o.Id, out var last) ? last : null)).ToList();
        AllStakes = [.. all.SelectMany(r => r.Stakes).Distinct().Order(StringComparer.Ordinal)];
        Communes = [.. all.Where(r => r.CommuneInsee is not null).Select(r => (r.CommuneInsee!, r.Commune ?? r.CommuneInsee!)).Distinct().OrderBy(c => c.Item2, StringComparer.Ordinal)];
        Sections = [.. all.Select(r => r.Section).Where(s => s is not null).Distinct().Order(StringComparer.Ordinal).Select(s => reference.Naf(s)).Where(n => n is not null).Select(n => n!)];

        IEnumerable<DirectoryRow> rows = all;
        if (!string.IsNullOrWhiteSpace(Words))
        {
            var key = ReferenceData.Fold(Words);
            rows = rows.Where(r => ReferenceData.Fold(r.Name).Contains(key, StringComparison.Ordinal));
        }

        if (Kind is { } kind)
        {
            rows = rows.Where(r => r.Kind == kind);
        }

        if (!string.IsNullOrWhiteSpace(Section))
        {
            rows = rows.Where(r => r.Section == Section);
        }

        if (!string.IsNullOrWhiteSpace(Commune))
        {
            rows = rows.Where(r => r.CommuneInsee == Commune);
        }

        if (!string.IsNullOrWhiteSpace(Stake))
        {
            rows = rows.Where(r => r.Stakes.Contains(Stake));
        }

        rows = Activity switch
        {
            "actives" => rows.Where(r => r.Active),
            "inactives" => rows.Where(r => !r.Active),
            _ => rows,
        };
        var filtered = rows.OrderBy(r => r.Name, StringComparer.CurrentCulture).ToList();
        Total = filtered.Count;
        Rows = [.. filtered.Take(MaxRows)];
        return Page();
    }
}
