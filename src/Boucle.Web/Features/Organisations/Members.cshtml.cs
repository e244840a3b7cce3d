using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Email;
using Boucle.Web.Features.Moderation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Organisations;

[Authorize]
public sealed class MembersModel(AppDbContext db, CurrentActor actor, Mailer mailer, TimeProvider time, MembershipService memberships) : PageModel
{
    public string OrganisationName { get; private set; } = "";
    public IReadOnlyList<MemberRow> Members { get; private set; } = [];
    public IReadOnlyList<Invitation> PendingInvitations { get; private set; } = [];
    public bool CanManage { get; private set; }
    public string? Message { get; private set; }

    /// The member whose form failed, with the French error shown next to it.
    public string? ErrorUserId { get; private set; }
    public string? ErrorForm { get; private set; }
    public string? Error { get; private set; }
    [BindProperty] public string? InviteEmail { get; set; }
    [BindProperty] public MemberRole InviteRole { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostInviteAsync(int id, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        if (!me.IsMemberOf(id))
        {
            return NotFound();
        }

        if (!me.CanManage(id))
        {
            return Forbid();
        }

        if (string.IsNullOrWhiteSpace(InviteEmail) || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(InviteEmail))
        {
            ModelState.AddModelError(nameof(InviteEmail), "Indiquez une adresse e-mail valide.");
        }

        if (InviteRole is not (MemberRole.Member or MemberRole.Manager))
        {
            InviteRole = MemberRole.Member;
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(id, ct);
            return Page();
        }

        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        var organisationName = await db.Organisations.Where(o => o.Id == id).Select(o => o.Name).SingleAsync(ct);
        db.Invitations.Add(new Invitation
        {
            OrganisationId = id,
            Email = InviteEmail!.Trim(),
            Role = InviteRole,
            TokenHash = Hash(token),
            InvitedByUserId = me.UserId!,
            CreatedAt = now,
            ExpiresAt = now.AddDays(14),
        });
        var link = $"{Request.Scheme}://{Request.Host}/invitations/{token}";
        mailer.Queue(InviteEmail.Trim(), $"Invitation à rejoindre {organisationName} sur Boucle",
            $"Bonjour,\n\n{me.DisplayName} vous invite à rejoindre {organisationName} sur Boucle, la plateforme des ressources du territoire.\n\nPour accepter, ouvrez ce lien (valable 14 jours) :\n{link}",
            $"<p>Bonjour,</p><p>{HtmlEncoder.Default.Encode(me.DisplayName ?? "")} vous invite à rejoindre <strong>{HtmlEncoder.Default.Encode(organisationName)}</strong> sur Boucle.</p><p><a href=\"{link}\">Accepter l'invitation</a> (valable 14 jours).</p>");
        await db.SaveChangesAsync(ct);
        await LoadAsync(id, ct);
        Message = $"Invitation envoyée à {InviteEmail.Trim()}.";
        InviteEmail = null;
        return Page();
    }

    public async Task<IActionResult> OnPostRoleAsync(int id, string? userId, MemberRole? role, CancellationToken ct)
    {
        var outcome = await memberships.ChangeRoleAsync(id, userId, role, $"{Request.Scheme}://{Request.Host}", ct);
        // Who I am changed within this request: read the page again rather than show stale rights.
        return outcome.Kind == OutcomeKind.Done && userId == actor.UserId ? Redirect($"/structures/{id}/membres") : await AfterAsync(id, userId, outcome, ct);
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, string? userId, CancellationToken ct)
    {
        var outcome = await memberships.RemoveAsync(id, userId, ct);
        return outcome.Kind == OutcomeKind.Done && userId == actor.UserId ? Redirect("/mon-espace") : await AfterAsync(id, userId, outcome, ct);
    }

    private async Task<IActionResult> AfterAsync(int id, string? userId, Outcome outcome, CancellationToken ct)
    {
        switch (outcome.Kind)
        {
            case OutcomeKind.NotFound:
                return NotFound();
            case OutcomeKind.Forbidden:
                return Forbid();
            case OutcomeKind.Invalid:
                ErrorUserId = userId;
                ErrorForm = outcome.Field;
                Error = outcome.Message;
                break;
            default:
                Message = outcome.Message;
                break;
        }

        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var organisation = await db.Organisations.AsNoTracking().Where(o => o.Id == id).Select(o => new { o.Name, o.TerritoryId }).SingleOrDefaultAsync(ct);
        // Members and facilitators only: the list of people is private to the organisation.
        if (organisation is null || !(me.IsMemberOf(id) || me.Facilitates(organisation.TerritoryId)))
        {
            return false;
        }

        OrganisationName = organisation.Name;
        CanManage = me.CanManage(id);
        var members = await db.Memberships.AsNoTracking().Where(m => m.OrganisationId == id)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new MemberRow(u.Id, u.DisplayName ?? u.Email!, u.Email!, m.Role))
            .ToListAsync(ct);
        Members = [.. members.OrderByDescending(m => m.Role).ThenBy(m => m.Name, StringComparer.CurrentCulture)];
        var now = time.GetUtcNow().UtcDateTime;
        PendingInvitations = await db.Invitations.AsNoTracking().Where(i => i.OrganisationId == id && i.AcceptedAt == null && i.ExpiresAt > now).ToListAsync(ct);
        return true;
    }
}

public sealed record MemberRow(string UserId, string Name, string Email, MemberRole Role);
