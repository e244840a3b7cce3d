using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

/// The administrator's page for a lost second factor, in the browser with axe. Journeys share one server, so
/// this one stops at the refusals: a real reset would switch off the demo facilitator's second factor.
public sealed class TwoFactorResetJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Administrator_is_told_next_to_each_field_what_a_lost_second_factor_reset_needs()
    {
        await SignInAsync(Boucle.Web.Data.DemoSeeder.AdministratorEmail, Boucle.Web.Data.DemoSeeder.DemoPassword);
        await GoAsync("/admin/double-authentification");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Réinitialiser une vérification en deux étapes");
        await CheckAtPhoneWidthAsync();

        var button = Button("Désactiver sa vérification en deux étapes");
        await SubmitAsync(button);
        await Expect(FieldError("Email")).ToHaveTextAsync("Indiquez l'adresse e-mail du compte.");
        await Expect(FieldError("Reason")).ToContainTextAsync("10 caractères au moins");
        await Expect(Page.GetByLabel("Adresse e-mail du compte")).ToHaveAttributeAsync("aria-invalid", "true");

        // One's own account is refused: another administrator must do it.
        await Page.GetByLabel("Adresse e-mail du compte").FillAsync(Boucle.Web.Data.DemoSeeder.AdministratorEmail);
        await Page.GetByLabel("Motif, et comment l'identité a été vérifiée").FillAsync("Téléphone perdu, identité vérifiée par appel.");
        await SubmitAsync(button);
        await Expect(FieldError("Email")).ToContainTextAsync("C'est votre propre compte");
        await Expect(Page.GetByLabel("Motif, et comment l'identité a été vérifiée")).ToHaveValueAsync("Téléphone perdu, identité vérifiée par appel.");
        await CheckAtPhoneWidthAsync();
    }
}
