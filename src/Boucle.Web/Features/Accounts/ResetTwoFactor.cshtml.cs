using Boucle.Web.Data;
using Boucle.Web.Features.Email;
using Boucle.Web.Features.Moderation;
using Boucle.Web.Features.Workspace;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Accounts;

/// A person who lost both their authenticator and their recovery codes has no way back on their own:
/// an administrator turns their two-factor sign-in off, with a reason kept in the journal. The
/// person is told by e-mail, their sessions end, and facilitators and administrators must set it up
/// again before their protected pages open (TwoFactorRequirement).
[Authorize]
public sealed class ResetTwoFactorModel(AppDbContext db, UserManager<AppUser> users, CurrentActor actor, Mailer mailer, TimeProvider time, IOptions<BoucleOptions> options) : PageModel
{
    public const int ReasonMinLength = 10;
    public const int ReasonMaxLength = 1000;

    [BindProperty(SupportsGet = true)] public string? Email { get; set; }
    [BindProperty] public string? Reason { get; set; }
    public string? Status { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        (await actor.GetAsync(ct)).IsAdministrator ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        if (!me.IsAdministrator)
        {
            return Forbid();
        }

        var email = Email?.Trim();
        var reason = Reason?.Trim();
        AppUser? person = null;
        if (string.IsNullOrEmpty(email))
        {
            ModelState.AddModelError(nameof(Email), "Indiquez l'adresse e-mail du compte.");
        }
        else if (email.Length > 256 || email.Any(char.IsControl))
        {
            ModelState.AddModelError(nameof(Email), "Cette adresse e-mail n'est pas valide.");
        }
        else if ((person = await users.FindByEmailAsync(email)) is null)
        {
            ModelState.AddModelError(nameof(Email), $"Aucun compte n'a l'adresse « {email} ».");
        }
        else if (person.Id == me.UserId)
        {
            ModelState.AddModelError(nameof(Email), "C'est votre propre compte : changez votre application d'authentification depuis « Sécurité », ou demandez à un autre administrateur.");
        }
        else if (!person.TwoFactorEnabled)
        {
            ModelState.AddModelError(nameof(Email), $"{person.Email} n'a pas de vérification en deux étapes activée : il n'y a rien à réinitialiser.");
        }

        if (reason is null || reason.Length < ReasonMinLength)
        {
            ModelState.AddModelError(nameof(Reason), $"Indiquez le motif et comment l'identité de la personne a été vérifiée ({ReasonMinLength} caractères au moins).");
        }
        else if (reason.Length > ReasonMaxLength)
        {
            ModelState.AddModelError(nameof(Reason), $"{ReasonMaxLength} caractères au plus.");
        }
        else if (reason.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            ModelState.AddModelError(nameof(Reason), "Le motif contient des caractères de contrôle : saisissez du texte.");
        }

        if (!ModelState.IsValid || person is null)
        {
            return Page();
        }

        // One transaction: the second factor off, a new (unknown) authenticator key and a new security
        // stamp (every session of the person ends at its next check), the journal line and the e-mail.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var off = await users.SetTwoFactorEnabledAsync(person, false);
        var key = off.Succeeded ? await users.ResetAuthenticatorKeyAsync(person) : off;
        if (!key.Succeeded)
        {
            ModelState.AddModelError(nameof(Email), string.Join(" ", key.Errors.Select(e => e.Description)));
            return Page();
        }

        var name = person.DisplayName is { Length: > 0 } display ? $"{display} ({person.Email})" : person.Email!;
        AuditLog.Add(db, time, me.UserId!, me.DisplayName ?? me.UserId!, null, AuditActions.TwoFactorReset, "user", 0, name, reason);
        var baseUrl = options.Value.PublicUrl?.TrimEnd('/') ?? $"{Request.Scheme}://{Request.Host}";
        mailer.Queue(person.Email!, "Votre vérification en deux étapes a été réinitialisée",
            $"""
            Bonjour,

            Un administrateur de Boucle a désactivé la vérification en deux étapes de votre compte ({person.Email}).
            Motif indiqué : {reason}

            Vos sessions ouvertes ont été fermées. À votre prochaine connexion, seul votre mot de passe vous sera demandé :
            réactivez aussitôt la vérification en deux étapes avec votre application d'authentification, depuis
            {baseUrl}/mon-espace/securite
            Les animateurs et administrateurs ne peuvent pas ouvrir leurs pages tant qu'elle n'est pas réactivée.

            Si vous n'avez rien demandé, changez votre mot de passe et prévenez l'équipe de Boucle.
            """);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        Status = $"La vérification en deux étapes de {name} est désactivée ; ses sessions sont fermées et un e-mail lui demande de la réactiver.";
        Email = null;
        Reason = null;
        ModelState.Clear();
        return Page();
    }
}
