using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Boucle.Web.Features.Accounts;

public sealed class ConfirmEmailModel(UserManager<AppUser> users) : PageModel
{
    public bool Confirmed { get; private set; }
    public string? ReturnUrl { get; private set; }

    public async Task OnGetAsync(string? userId, string? code, string? returnUrl)
    {
        ReturnUrl = Shared.ReturnAddress.Local(returnUrl);
        if (userId is null || code is null || await users.FindByIdAsync(userId) is not { } user)
        {
            return;
        }

        try
        {
            var token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
            Confirmed = (await users.ConfirmEmailAsync(user, token)).Succeeded;
        }
        catch (FormatException)
        {
            Confirmed = false;
        }
    }
}
