using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.ApiTokens;

[Authorize]
public sealed class TokensModel(AppDbContext db, CurrentActor actor, TimeProvider time) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public int OrganisationId { get; set; }
    public IReadOnlyList<OrganisationRole> Organisations { get; private set; } = [];
    public IReadOnlyList<TokenRow> Tokens { get; private set; } = [];
    public string? NewToken { get; private set; }
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > 100)
        {
            ModelState.AddModelError(nameof(Name), "Donnez un nom au jeton (100 caractères au plus).");
        }

        if (!me.IsMemberOf(OrganisationId))
        {
            ModelState.AddModelError(nameof(OrganisationId), "Choisissez une de vos structures.");
        }

        if (ModelState.IsValid)
        {
            var token = ApiTokenFormat.NewToken();
            db.Set<ApiToken>().Add(new ApiToken
            {
                UserId = me.UserId!,
                OrganisationId = OrganisationId,
                Name = Name!.Trim(),
                Hash = ApiTokenFormat.HashOf(token),
                Prefix = token[..10],
                CreatedAt = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(ct);
            NewToken = token;
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int tokenId, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        // Only the person's own tokens: someone else's id changes nothing.
        var revoked = await db.Set<ApiToken>().Where(t => t.Id == tokenId && t.UserId == me.UserId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        Message = revoked == 1 ? "Jeton révoqué." : "Jeton introuvable.";
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        Organisations = me.Memberships;
        Tokens = await db.Set<ApiToken>().AsNoTracking().Where(t => t.UserId == me.UserId).OrderByDescending(t => t.CreatedAt)
            .Join(db.Organisations, t => t.OrganisationId, o => o.Id, (t, o) => new TokenRow(t.Id, t.Name, t.Prefix, o.Name, t.CreatedAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(ct);
    }
}

public sealed record TokenRow(int Id, string Name, string Prefix, string Organisation, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);
