using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class SecurityJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task A_member_changes_their_password_after_a_wrong_current_one_was_refused()
    {
        var (email, password) = await Server.CreateConfirmedUserAsync("Personne qui change de mot de passe");
        await SignInAsync(email, password);
        await GoAsync("/mon-espace/securite");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sécurité du compte");
        await CheckAtPhoneWidthAsync();

        const string newPassword = "une-nouvelle-phrase-de-passe";
        await Page.GetByLabel("Mot de passe actuel").FillAsync("ce-n-est-pas-le-bon");
        await Page.GetByLabel("Nouveau mot de passe").FillAsync(newPassword);
        await SubmitAsync(Button("Changer de mot de passe"));
        await Expect(FieldError("CurrentPassword")).ToHaveTextAsync("Le mot de passe actuel est incorrect.");
        await Expect(Page.GetByLabel("Mot de passe actuel")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
        await CheckAtPhoneWidthAsync();

        await Page.GetByLabel("Mot de passe actuel").FillAsync(password);
        await Page.GetByLabel("Nouveau mot de passe").FillAsync(newPassword);
        await SubmitAsync(Button("Changer de mot de passe"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Mot de passe changé.");

        await SubmitAsync(Button("Déconnecter mes autres sessions"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Vos autres sessions sont déconnectées.");

        // The new password is the one that works.
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }));
        await SignInAsync(email, newPassword);
        await Expect(Page).ToHaveURLAsync(new Regex("/mon-espace$"));
    }
}
