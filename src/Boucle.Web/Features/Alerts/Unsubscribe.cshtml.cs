using Boucle.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Alerts;

/// The link at the bottom of every alert: works without signing in. GET only asks (mail scanners
/// follow links); the button's POST unsubscribes.
[AllowAnonymous]
public sealed class UnsubscribeModel(AppDbContext db, AlertTokens tokens) : PageModel
{
    public string Token { get; private set; } = "";
    public string SearchName { get; private set; } = "";
    public bool Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        var search = await FindAsync(token, ct);
        if (search is null)
        {
            return NotFound();
        }

        Done = !search.EmailEnabled;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        var search = await FindAsync(token, ct);
        if (search is null)
        {
            return NotFound();
        }

        search.EmailEnabled = false;
        await db.SaveChangesAsync(ct);
        Done = true;
        return Page();
    }

    private async Task<SavedSearch?> FindAsync(string token, CancellationToken ct)
    {
        if (tokens.ReadUnsubscribe(token) is not { } id)
        {
            return null;
        }

        var search = await db.Set<SavedSearch>().SingleOrDefaultAsync(s => s.Id == id, ct);
        Token = token;
        SearchName = search?.Name ?? "";
        return search;
    }
}
