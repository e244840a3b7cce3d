using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Accounts;

public sealed class LoginModel(SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email))
        {
            ModelState.AddModelError(nameof(Email), "Indiquez votre adresse e-mail.");
        }

        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), "Indiquez votre mot de passe.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(Email!.Trim(), Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Shared.ReturnAddress.Local(ReturnUrl) ?? "/mon-espace");
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Accounts/LoginTwoFactor", new { ReturnUrl });
        }

        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? "Trop d'essais : le compte est bloqué pendant 15 minutes."
            : result.IsNotAllowed
                ? "Confirmez d'abord votre adresse e-mail avec le lien reçu."
                : "Adresse e-mail ou mot de passe incorrect.");
        return Page();
    }
}
