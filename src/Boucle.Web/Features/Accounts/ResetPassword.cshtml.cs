using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Boucle.Web.Features.Accounts;

public sealed class ResetPasswordModel(UserManager<AppUser> users) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Email { get; set; }
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty] public string? Password { get; set; }
    public bool Done { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = Email is null ? null : await users.FindByEmailAsync(Email);
        if (user is null || Code is null)
        {
            ModelState.AddModelError(string.Empty, "Ce lien n'est pas valide. Demandez-en un nouveau.");
            return Page();
        }

        string token;
        try
        {
            token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Code));
        }
        catch (FormatException)
        {
            ModelState.AddModelError(string.Empty, "Ce lien n'est pas valide. Demandez-en un nouveau.");
            return Page();
        }

        var result = await users.ResetPasswordAsync(user, token, Password ?? "");
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
            {
                ModelState.AddModelError(e.Code.StartsWith("Password", StringComparison.Ordinal) ? nameof(Password) : string.Empty, e.Description);
            }

            return Page();
        }

        Done = true;
        return Page();
    }
}
