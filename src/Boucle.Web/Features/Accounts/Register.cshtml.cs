using System.Text.Encodings.Web;
using Boucle.Web.Data;
using Boucle.Web.Features.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Boucle.Web.Features.Accounts;

public sealed class RegisterModel(UserManager<AppUser> users, AppDbContext db, Mailer mailer, TimeProvider time) : PageModel
{
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(DisplayName))
        {
            ModelState.AddModelError(nameof(DisplayName), "Indiquez votre nom.");
        }

        if (string.IsNullOrWhiteSpace(Email) || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(Email))
        {
            ModelState.AddModelError(nameof(Email), "Indiquez une adresse e-mail valide.");
        }

        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), "Choisissez un mot de passe.");
        }
        else
        {
            // Every field's problem at once, not one per submission.
            var candidate = new AppUser { UserName = Email ?? "", Email = Email };
            foreach (var validator in users.PasswordValidators)
            {
                var check = await validator.ValidateAsync(users, candidate, Password);
                foreach (var error in check.Errors)
                {
                    ModelState.AddModelError(nameof(Password), error.Description);
                }
            }
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = new AppUser { UserName = Email!.Trim(), Email = Email.Trim(), DisplayName = DisplayName!.Trim(), CreatedAt = time.GetUtcNow().UtcDateTime };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await users.CreateAsync(user, Password!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                var field = error.Code.StartsWith("Password", StringComparison.Ordinal) ? nameof(Password)
                    : error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) ? nameof(Email) : string.Empty;
                ModelState.AddModelError(field, error.Description);
            }

            return Page();
        }

        var code = WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(await users.GenerateEmailConfirmationTokenAsync(user)));
        var link = $"{Request.Scheme}://{Request.Host}/confirmer-email?userId={Uri.EscapeDataString(user.Id)}&code={code}"
            + (string.IsNullOrEmpty(ReturnUrl) ? "" : $"&returnUrl={Uri.EscapeDataString(ReturnUrl)}");
        mailer.Queue(user.Email, "Confirmez votre adresse e-mail sur Boucle",
            $"Bonjour {user.DisplayName},\n\nPour activer votre compte Boucle, ouvrez ce lien :\n{link}\n\nSi vous n'avez pas créé de compte, ignorez ce message.",
            $"<p>Bonjour {HtmlEncoder.Default.Encode(user.DisplayName)},</p><p>Pour activer votre compte Boucle, <a href=\"{HtmlEncoder.Default.Encode(link)}\">confirmez votre adresse e-mail</a>.</p>");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        Sent = true;
        return Page();
    }
}
