using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace Boucle.Web.Features.Accounts;

/// The person's security: password change (signs out every other session), authenticator app
/// (two-factor sign-in) with recovery codes, and "sign out my other sessions".
[Authorize]
public sealed class SecurityModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, CurrentActor actor) : PageModel
{
    public const int RecoveryCodeCount = 10;

    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? Code { get; set; }

    /// Set when sent here because a facilitator or administrator page needs a second factor.
    [BindProperty(SupportsGet = true, Name = "obligatoire")] public bool Required { get; set; }

    public bool TwoFactorEnabled { get; private set; }
    public bool MustKeepTwoFactor { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public string? SharedKey { get; private set; }
    public string? QrCodeDataUri { get; private set; }
    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }
    public string? Status { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is { } user ? Page() : Challenge();

    /// Shows a key and its QR code to add to the authenticator app (a new key each time).
    public async Task<IActionResult> OnPostSetupAsync()
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return Challenge();
        }

        if (!TwoFactorEnabled)
        {
            // A new key changes the security stamp: this session is renewed, others end.
            await users.ResetAuthenticatorKeyAsync(user);
            await signIn.RefreshSignInAsync(user);
            await ShowKeyAsync(user);
        }

        return Page();
    }

    /// Checks a code from the app, then turns two-factor sign-in on and shows the recovery codes once.
    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return Challenge();
        }

        if (TwoFactorEnabled)
        {
            return Page();
        }

        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (await users.GetAuthenticatorKeyAsync(user) is null)
        {
            ModelState.AddModelError(nameof(Code), "Commencez par afficher la clé à ajouter à votre application.");
            return Page();
        }

        if (code.Length != 6 || !code.All(char.IsAsciiDigit)
            || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), "Ce code n'est pas valide : saisissez les 6 chiffres affichés par l'application (vérifiez l'heure du téléphone).");
            await ShowKeyAsync(user);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        await signIn.RefreshSignInAsync(user);
        await LoadAsync();
        Status = "La vérification en deux étapes est activée.";
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return Challenge();
        }

        if (TwoFactorEnabled)
        {
            NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
            await LoadAsync();
            Status = "Nouveaux codes de secours : les anciens ne fonctionnent plus.";
        }

        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return Challenge();
        }

        if (MustKeepTwoFactor)
        {
            ModelState.AddModelError(string.Empty, "Les animateurs et administrateurs doivent garder la vérification en deux étapes.");
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        await LoadAsync();
        Status = "La vérification en deux étapes est désactivée.";
        return Page();
    }

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return Challenge();
        }

        if (string.IsNullOrEmpty(CurrentPassword))
        {
            ModelState.AddModelError(nameof(CurrentPassword), "Indiquez votre mot de passe actuel.");
        }

        if (string.IsNullOrEmpty(NewPassword))
        {
            ModelState.AddModelError(nameof(NewPassword), "Choisissez un nouveau mot de passe.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await users.ChangePasswordAsync(user, CurrentPassword!, NewPassword!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? nameof(CurrentPassword) : nameof(NewPassword),
                    error.Code == "PasswordMismatch" ? "Le mot de passe actuel est incorrect." : error.Description);
            }

            return Page();
        }

        // The stamp changed: this session is renewed, every other one ends at its next check.
        await signIn.RefreshSignInAsync(user);
        Status = "Mot de passe changé. Vos autres sessions (autres navigateurs, autres appareils) sont déconnectées.";
        return Page();
    }

    public async Task<IActionResult> OnPostSignOutOthersAsync()
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return Challenge();
        }

        await users.UpdateSecurityStampAsync(user);
        await signIn.RefreshSignInAsync(user);
        Status = "Vos autres sessions sont déconnectées.";
        return Page();
    }

    private async Task<AppUser?> LoadAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return null;
        }

        var info = await actor.GetAsync();
        TwoFactorEnabled = await users.GetTwoFactorEnabledAsync(user);
        MustKeepTwoFactor = info.IsAdministrator || info.FacilitatedTerritories.Count > 0;
        RecoveryCodesLeft = TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0;
        return user;
    }

    private async Task ShowKeyAsync(AppUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        SharedKey = Grouped(key);
        var uri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString("Boucle")}:{Uri.EscapeDataString(user.Email ?? "")}?secret={key}&issuer={Uri.EscapeDataString("Boucle")}&digits=6");
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        // A PNG in a data: URI: no inline script or style, allowed by the policy's img-src.
        var png = new PngByteQRCode(data).GetGraphic(6);
        QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(png);
    }

    private static string Grouped(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return text.ToString().TrimEnd().ToLowerInvariant();
    }
}
