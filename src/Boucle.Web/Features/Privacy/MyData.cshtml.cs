using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Privacy;

/// Download everything Boucle holds about me, hand over or close the organisations I alone own,
/// and delete my account.
[Authorize]
public sealed class MyDataModel(PersonalData data, UserManager<AppUser> users, SignInManager<AppUser> signIn, CurrentActor actor, TimeProvider time) : PageModel
{
    public IReadOnlyList<SoleOwnership> SoleOwnerships { get; private set; } = [];

    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirmation { get; set; }
    public string? Status { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => SoleOwnerships = await data.SoleOwnershipsAsync(actor.UserId!, ct);

    public async Task<IActionResult> OnGetJsonAsync(CancellationToken ct) =>
        File(PersonalData.ToJson(await data.CollectAsync(actor.UserId!, ct)), "application/json", FileName("json"));

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct) =>
        File(PersonalData.ToCsvZip(await data.CollectAsync(actor.UserId!, ct)), "application/zip", FileName("zip"));

    public async Task<IActionResult> OnPostHandOverAsync(int organisationId, string? newOwnerId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(newOwnerId) || !await data.HandOverAsync(actor.UserId!, organisationId, newOwnerId, ct))
        {
            ModelState.AddModelError($"newOwnerId-{organisationId}", "Choisissez un membre de la structure.");
        }
        else
        {
            Status = "La structure a un nouveau propriétaire ; vous en restez gestionnaire.";
        }

        SoleOwnerships = await data.SoleOwnershipsAsync(actor.UserId!, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCloseAsync(int organisationId, CancellationToken ct)
    {
        Status = await data.CloseAsync(actor.UserId!, organisationId, ct)
            ? "La structure est fermée : ses annonces sont retirées et elle n'a plus de membres."
            : null;
        SoleOwnerships = await data.SoleOwnershipsAsync(actor.UserId!, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        SoleOwnerships = await data.SoleOwnershipsAsync(actor.UserId!, ct);
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (SoleOwnerships.Count > 0)
        {
            ModelState.AddModelError(string.Empty, "Transmettez ou fermez d'abord les structures dont vous êtes le seul propriétaire (ci-dessus).");
            return Page();
        }

        if (string.IsNullOrEmpty(Password) || !await users.CheckPasswordAsync(user, Password))
        {
            ModelState.AddModelError(nameof(Password), "Mot de passe incorrect.");
        }

        if (!string.Equals(Confirmation?.Trim(), "SUPPRIMER", StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(Confirmation), "Écrivez SUPPRIMER en capitales pour confirmer.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        await data.DeleteAccountAsync(user.Id, ct);
        await signIn.SignOutAsync();
        return LocalRedirect("/confidentialite?supprime=true");
    }

    private string FileName(string extension) => $"boucle-mes-donnees-{time.GetUtcNow():yyyy-MM-dd}.{extension}";
}
