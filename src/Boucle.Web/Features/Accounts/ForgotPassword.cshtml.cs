using System.Text;
using Boucle.Web.Data;
using Boucle.Web.Features.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Boucle.Web.Features.Accounts;

public sealed class ForgotPasswordModel(UserManager<AppUser> users, AppDbContext db, Mailer mailer) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Email))
        {
            ModelState.AddModelError(nameof(Email), "Indiquez votre adresse e-mail.");
            return Page();
        }

        // The same answer whether the account exists or not: no way to probe addresses.
        var user = await users.FindByEmailAsync(Email.Trim());
        if (user is { EmailConfirmed: true, Email: not null })
        {
            var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
            var link = $"{Request.Scheme}://{Request.Host}/reinitialiser-mot-de-passe?email={Uri.EscapeDataString(user.Email)}&code={code}";
            mailer.Queue(user.Email, "Nouveau mot de passe Boucle",
                $"Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien :\n{link}\n\nSi vous n'avez rien demandé, ignorez ce message.");
            await db.SaveChangesAsync(ct);
        }

        Sent = true;
        return Page();
    }
}
