using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed partial class PrivacyJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task A_member_reads_the_policy_downloads_their_data_then_deletes_their_account()
    {
        // A throw-away account, signed up and confirmed here: no demo account is deleted.
        var email = BoucleServer.UniqueEmail();
        const string password = "phrase-de-passe-jetable";
        var name = "Compte jetable " + BoucleServer.UniqueTag();
        await GoAsync("/inscription");
        await Page.GetByLabel("Votre nom").FillAsync(name);
        await Page.GetByLabel("Adresse e-mail").FillAsync(email);
        await Page.GetByLabel("Mot de passe").FillAsync(password);
        await SubmitAsync(Button("Créer mon compte"));
        var link = ConfirmationLink().Match(await WaitForMailAsync(email));
        Assert.True(link.Success);
        await GoAsync(new Uri(link.Value).PathAndQuery);
        await SignInAsync(email, password);

        // The policy, from the footer.
        await SubmitAsync(Page.GetByRole(AriaRole.Contentinfo).GetByRole(AriaRole.Link, new() { Name = "Confidentialité" }));
        await Expect(Page).ToHaveURLAsync(new Regex("/confidentialite$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await CheckAtPhoneWidthAsync();
        await SubmitAsync(Page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Mes données" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Mes données");
        await CheckAtPhoneWidthAsync();

        // The JSON download holds the account's address.
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Link, new() { Name = "Télécharger en JSON" }).ClickAsync());
        Assert.EndsWith(".json", download.SuggestedFilename, StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), "boucle-e2e-" + BoucleServer.UniqueTag() + ".json");
        await download.SaveAsAsync(file);
        try
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            Assert.Contains(email, json.RootElement.GetRawText(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        // Deletion: a wrong password and no confirmation word are refused next to their fields.
        await Page.GetByLabel("Mot de passe").FillAsync("pas-le-bon-mot-de-passe");
        await SubmitAsync(Button("Supprimer définitivement mon compte"));
        await Expect(FieldError("Password")).ToHaveTextAsync("Mot de passe incorrect.");
        Assert.True(await Server.UserExistsAsync(email));

        await Page.GetByLabel("Mot de passe").FillAsync(password);
        await Page.GetByLabel("Écrivez SUPPRIMER pour confirmer").FillAsync("supprimer");
        await SubmitAsync(Button("Supprimer définitivement mon compte"));
        await Expect(FieldError("Confirmation")).ToHaveTextAsync("Écrivez SUPPRIMER en capitales pour confirmer.");
        Assert.True(await Server.UserExistsAsync(email));

        await Page.GetByLabel("Mot de passe").FillAsync(password);
        await Page.GetByLabel("Écrivez SUPPRIMER pour confirmer").FillAsync("SUPPRIMER");
        await SubmitAsync(Button("Supprimer définitivement mon compte"));
        await Expect(Page).ToHaveURLAsync(new Regex("/confidentialite\\?supprime=true$"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" })).ToBeVisibleAsync();
        Assert.False(await Server.UserExistsAsync(email));
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/confirmer-email\?[^\s""<>]+")]
    private static partial Regex ConfirmationLink();
}
