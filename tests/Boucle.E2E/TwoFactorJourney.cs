using System.Text.RegularExpressions;
using Boucle.Web.Data;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class TwoFactorJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task A_person_turns_on_an_authenticator_app_then_signs_in_with_its_code()
    {
        var (email, password) = await Server.CreateConfirmedUserAsync("Personne prudente");
        await SignInAsync(email, password);

        // Set-up: the key is shown as a QR code and as text; a wrong code is refused next to the field.
        await GoAsync("/mon-espace/securite");
        await SubmitAsync(Button("Activer avec une application d'authentification"));
        await Expect(Page.GetByRole(AriaRole.Img, new() { Name = "Code QR de la clé Boucle pour l'application d'authentification" })).ToBeVisibleAsync();
        var key = await Page.Locator("#cle").InnerTextAsync();
        await Page.GetByLabel("Code à 6 chiffres", new() { Exact = true }).FillAsync("000000" == CodeFor(key) ? "111111" : "000000");
        await SubmitAsync(Button("Activer"));
        await Expect(FieldError("Code")).Not.ToBeEmptyAsync();

        // The authenticator app's code (computed here as the app would) turns it on and shows the recovery codes once.
        await Page.GetByLabel("Code à 6 chiffres", new() { Exact = true }).FillAsync(CodeFor(key));
        await SubmitAsync(Button("Activer"));
        await Expect(Page.Locator(".recovery-codes li")).ToHaveCountAsync(10);
        await Expect(Page.GetByText(new Regex("^Activée")).First).ToBeVisibleAsync();

        // Signed out, the password alone is no longer enough.
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }));
        await GoAsync("/connexion");
        await Page.GetByLabel("Adresse e-mail").FillAsync(email);
        await Page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync(password);
        await SubmitAsync(Button("Se connecter"));
        await Expect(Page).ToHaveURLAsync(new Regex("/connexion/2fa"));
        await GoAsync("/mon-espace");
        await Expect(Page).ToHaveURLAsync(new Regex("/connexion"));
        Assert.DoesNotContain("/mon-espace", new Uri(Page.Url).AbsolutePath, StringComparison.Ordinal);

        // With the code of the moment, the person is in.
        await SignInAsync(email, password, CodeFor(key));
        await GoAsync("/mon-espace/securite");
        await Expect(Page.GetByText(new Regex("Codes de secours restants : 10"))).ToBeVisibleAsync();
    }

    private static string CodeFor(string key) => DemoAuthenticator.CodeAt(DateTimeOffset.UtcNow, key);

    private async Task SignInAsync(string email, string password, string code)
    {
        await GoAsync("/connexion");
        await Page.GetByLabel("Adresse e-mail").FillAsync(email);
        await Page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync(password);
        await SubmitAsync(Button("Se connecter"));
        await Expect(Page).ToHaveURLAsync(new Regex("/connexion/2fa"));
        await Page.GetByLabel("Code à 6 chiffres ou code de secours").FillAsync(code);
        await SubmitAsync(Button("Vérifier"));
        await Expect(Page).ToHaveURLAsync(new Regex("/mon-espace$"));
    }
}
