using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed partial class SignUpJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task New_person_signs_up_confirms_the_address_and_signs_in()
    {
        var email = BoucleServer.UniqueEmail();
        const string password = "un-mot-de-passe-solide";
        var name = "Léa Martin " + BoucleServer.UniqueTag();

        await GoAsync("/inscription");
        await Page.GetByLabel("Votre nom").FillAsync(name);
        await Page.GetByLabel("Adresse e-mail").FillAsync(email);
        await Page.GetByLabel("Mot de passe").FillAsync(password);
        await SubmitAsync(Button("Créer mon compte"));

        var status = Page.GetByRole(AriaRole.Status);
        await Expect(status).ToContainTextAsync("Un e-mail de confirmation a été envoyé à");
        await Expect(status).ToContainTextAsync(email);

        // Not confirmed yet: the account exists but cannot sign in (checked by the store, not the form,
        // to keep within the account forms' rate limit).
        Assert.True(await Server.UserExistsAsync(email));

        var body = await WaitForMailAsync(email);
        var link = ConfirmationLink().Match(body);
        Assert.True(link.Success, "no /confirmer-email link in:\n" + body);
        var url = new Uri(link.Value);
        Assert.Equal(Server.BaseAddress.Authority, url.Authority);

        await GoAsync(url.PathAndQuery);
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Votre adresse est confirmée");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Connectez-vous" }));
        await Expect(Page).ToHaveURLAsync(new Regex("/connexion"));

        await Page.GetByLabel("Adresse e-mail").FillAsync(email);
        await Page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync(password);
        await SubmitAsync(Button("Se connecter"));
        await Expect(Page).ToHaveURLAsync(new Regex("/mon-espace$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Mon espace");
        await Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" }).GetByRole(AriaRole.Link, new() { Name = name })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Créer ma structure" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Bad_sign_up_shows_french_errors_next_to_the_fields_and_creates_nothing()
    {
        await GoAsync("/inscription");
        await Page.GetByLabel("Votre nom").FillAsync("Bruno");
        await Page.GetByLabel("Adresse e-mail").FillAsync("pas-une-adresse");
        await Page.GetByLabel("Mot de passe").FillAsync("court");
        await SubmitAsync(Button("Créer mon compte"));

        await Expect(FieldError("Email")).ToHaveTextAsync("Indiquez une adresse e-mail valide.");
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
        Assert.False(await Server.UserExistsAsync("pas-une-adresse"));

        // The address fixed, the password is still too short.
        var email = BoucleServer.UniqueEmail();
        await Page.GetByLabel("Adresse e-mail").FillAsync(email);
        await Page.GetByLabel("Mot de passe").FillAsync("court");
        await SubmitAsync(Button("Créer mon compte"));

        await Expect(FieldError("Password")).ToContainTextAsync("Le mot de passe doit contenir au moins 12 caractères.");
        await Expect(FieldError("Email")).ToBeEmptyAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
        Assert.False(await Server.UserExistsAsync(email));
        Assert.False(Directory.Exists(Server.MailDir) && Directory.GetFiles(Server.MailDir, "*.eml").Any(f => File.ReadAllText(f).Contains(email, StringComparison.OrdinalIgnoreCase)));
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/confirmer-email\?[^\s""<>]+")]
    private static partial Regex ConfirmationLink();
}
