using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Organisations;

public sealed class AcceptInvitationModel(AppDbContext db, CurrentActor actor, TimeProvider time) : PageModel
{
    public string? OrganisationName { get; private set; }
    public MemberRole Role { get; private set; }
    public bool SignedIn { get; private set; }

    public async Task OnGetAsync(string token, CancellationToken ct) => await LoadAsync(token, ct);

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        var invitation = await LoadAsync(token, ct);
        var me = await actor.GetAsync(ct);
        if (invitation is null || me.UserId is null)
        {
            return Page();
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (!me.IsMemberOf(invitation.OrganisationId))
        {
            db.Memberships.Add(new Membership { OrganisationId = invitation.OrganisationId, UserId = me.UserId, Role = invitation.Role, Since = now });
        }

        invitation.AcceptedAt = now;
        var user = await db.Users.SingleAsync(u => u.Id == me.UserId, ct);
        user.CurrentOrganisationId = invitation.OrganisationId;
        await db.SaveChangesAsync(ct);
        return Redirect($"/structures/{invitation.OrganisationId}");
    }

    private async Task<Invitation?> LoadAsync(string token, CancellationToken ct)
    {
        SignedIn = actor.IsSignedIn;
        var hash = MembersModel.Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.TokenHash == hash && i.AcceptedAt == null && i.ExpiresAt > now, ct);
        if (invitation is not null)
        {
            OrganisationName = await db.Organisations.Where(o => o.Id == invitation.OrganisationId).Select(o => o.Name).SingleAsync(ct);
            Role = invitation.Role;
        }

        return invitation;
    }
}
