using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Alerts;

/// Name, frequency and e-mails of one saved search; someone else's answers 404, as a missing one.
[Authorize]
public sealed class EditModel(AppDbContext db, CurrentActor actor, IOptions<BoucleOptions> options, TimeProvider time) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Frequency { get; set; }
    [BindProperty] public bool EmailEnabled { get; set; }

    public SavedSearch Search { get; private set; } = null!;
    public string Description { get; private set; } = "";
    public string FeedUrl { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        Name = Search.Name;
        Frequency = Search.Frequency.ToString();
        EmailEnabled = Search.EmailEnabled;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        ModelState.Clear();
        var name = SavedSearchRules.ValidName(Name, ModelState, nameof(Name));
        var frequency = SavedSearchRules.ValidFrequency(Frequency, ModelState, nameof(Frequency));
        if (name is null || frequency is null)
        {
            return Page();
        }

        var wasEnabled = Search.EmailEnabled;
        Search.Name = name;
        Search.Frequency = frequency.Value;
        Search.EmailEnabled = EmailEnabled;
        if (EmailEnabled && !wasEnabled)
        {
            // Back on: what was published while unsubscribed is not sent all at once.
            Search.LastCheckedAt = time.GetUtcNow().UtcDateTime;
        }

        await db.SaveChangesAsync(ct);
        TempData["AlertMessage"] = $"Recherche « {name} » modifiée.";
        return Redirect("/alertes");
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        db.Set<SavedSearch>().Remove(Search);
        await db.SaveChangesAsync(ct);
        TempData["AlertMessage"] = $"Recherche « {Search.Name} » supprimée.";
        return Redirect("/alertes");
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var userId = actor.UserId!;
        var search = await db.Set<SavedSearch>().SingleOrDefaultAsync(s => s.Id == id && s.UserId == userId, ct);
        if (search is null)
        {
            return false;
        }

        Search = search;
        var labels = await db.Categories.AsNoTracking().Where(c => c.Code == search.Category).ToDictionaryAsync(c => c.Code, c => c.LabelFr, ct);
        Description = SavedSearchRules.Describe(search, labels);
        FeedUrl = $"{options.Value.PublicUrl?.TrimEnd('/') ?? $"{Request.Scheme}://{Request.Host}"}/alertes/{search.FeedToken}.atom";
        return true;
    }
}
