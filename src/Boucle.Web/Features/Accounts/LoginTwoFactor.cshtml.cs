using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Accounts;

/// The second step of sign-in for people who turned on an authenticator app: a 6-digit code, or
/// one of their recovery codes (each works once).
public sealed class LoginTwoFactorModel(SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Accounts/Login") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            // The first step expired (5 minutes) or was never done.
            return RedirectToPage("/Accounts/Login");
        }

        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
        if (code.Length == 0)
        {
            ModelState.AddModelError(nameof(Code), "Indiquez le code à 6 chiffres de votre application, ou un code de secours.");
            return Page();
        }

        var result = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.Succeeded)
        {
            return LocalRedirect(Shared.ReturnAddress.Local(ReturnUrl) ?? "/mon-espace");
        }

        ModelState.AddModelError(nameof(Code), result.IsLockedOut
            ? "Trop d'essais : le compte est bloqué pendant 15 minutes."
            : "Ce code n'est pas valide. Vérifiez l'heure de votre téléphone, ou utilisez un code de secours.");
        return Page();
    }
}
