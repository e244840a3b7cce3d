using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Moderation;

/// Every facilitator action, newest first, for administrators only.
[Authorize]
public sealed class JournalModel(AppDbContext db, CurrentActor actor) : PageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public IReadOnlyDictionary<int, string> Territories { get; private set; } = new Dictionary<int, string>();
    public bool HasMore { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!(await actor.GetAsync(ct)).IsAdministrator)
        {
            return Forbid();
        }

        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        var entries = await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
        HasMore = entries.Count > PageSize;
        Entries = [.. entries.Take(PageSize)];
        Territories = await db.Territories.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        return Page();
    }

    public static string? Link(AuditEntry a) => a.TargetType switch
    {
        ReportTargets.Listing => $"/annonces/{a.TargetId}",
        ReportTargets.Organisation => $"/structures/{a.TargetId}",
        "territory" => $"/admin/territoires/{a.TargetId}",
        "group" => $"/animation/groupes/{a.TargetId}",
        _ => null,
    };
}
