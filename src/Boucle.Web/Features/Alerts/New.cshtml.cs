using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Reference;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Alerts;

/// Saves the current search of /annonces (same parameter names) with a name and an alert frequency.
[Authorize]
public sealed class NewModel(AppDbContext db, CurrentActor actor, ReferenceData reference, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Commune { get; set; }
    [BindProperty(SupportsGet = true)] public int? Rayon { get; set; }
    [BindProperty(SupportsGet = true)] public string? Regularite { get; set; }
    [BindProperty(SupportsGet = true, Name = "price_mode")] public string? PriceMode { get; set; }
    [BindProperty(SupportsGet = true, Name = "org_kind")] public string? OrgKind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Waste { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Frequency { get; set; } = nameof(AlertFrequency.Daily);

    public string Description { get; private set; } = "";
    public string BrowseUrl { get; private set; } = "/annonces";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Name ??= Q?.Trim();
        await DescribeAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Binding messages are not what this form says; its own checks below are.
        ModelState.Clear();
        var userId = actor.UserId!;
        var now = time.GetUtcNow().UtcDateTime;
        var search = new SavedSearch { UserId = userId, Name = "", FeedToken = AlertTokens.NewFeedToken(), CreatedAt = now, LastCheckedAt = now };
        var name = SavedSearchRules.ValidName(Name, ModelState, nameof(Name));
        var frequency = SavedSearchRules.ValidFrequency(Frequency, ModelState, nameof(Frequency));
        await SavedSearchRules.ApplyCriteriaAsync(search, Criteria, db, reference, ModelState, ct);
        if (await db.Set<SavedSearch>().CountAsync(s => s.UserId == userId, ct) >= SavedSearchRules.MaxPerPerson)
        {
            ModelState.AddModelError(string.Empty, $"Vous avez déjà {SavedSearchRules.MaxPerPerson} recherches enregistrées : supprimez-en une d'abord.");
        }

        if (!ModelState.IsValid || name is null || frequency is null)
        {
            await DescribeAsync(ct);
            return Page();
        }

        search.Name = name;
        search.Frequency = frequency.Value;
        search.TerritoryId = (await TerritoryQueries.MainAsync(db, ct))?.Id;
        search.BaseUrl = $"{Request.Scheme}://{Request.Host}";
        db.Set<SavedSearch>().Add(search);
        await db.SaveChangesAsync(ct);
        TempData["AlertMessage"] = $"Recherche « {name} » enregistrée : vous recevrez les nouvelles annonces {AlertServices.FrequencyLabel(search.Frequency)}.";
        return Redirect("/alertes");
    }

    private SearchCriteria Criteria => new(Q, Type, Category, Commune, Rayon, Regularite, PriceMode, OrgKind, Waste);

    private async Task DescribeAsync(CancellationToken ct)
    {
        var preview = new SavedSearch { UserId = "", Name = "", FeedToken = "" };
        await SavedSearchRules.ApplyCriteriaAsync(preview, Criteria, db, reference, new Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary(), ct);
        var labels = await db.Categories.AsNoTracking().Where(c => c.Code == preview.Category).ToDictionaryAsync(c => c.Code, c => c.LabelFr, ct);
        Description = SavedSearchRules.Describe(preview, labels);
        BrowseUrl = preview.BrowseUrl();
    }
}
