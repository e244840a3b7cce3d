using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class ApiTokenJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Owner_creates_a_token_sees_it_once_and_revokes_it()
    {
        await SignInAsDemoOwnerAsync("transports-lafage");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Jetons d'accès à l'API" }));
        await Expect(Page).ToHaveURLAsync(new Regex("/mon-espace/jetons$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Jetons d'accès à l'API");
        await Expect(Page.GetByText("Aucun jeton.")).ToBeVisibleAsync();

        // No name: refused next to the field.
        await SubmitAsync(Button("Créer le jeton"));
        await Expect(FieldError("Name")).ToHaveTextAsync("Donnez un nom au jeton (100 caractères au plus).");
        await Expect(Page.GetByLabel("Nom du jeton")).ToHaveAttributeAsync("aria-invalid", "true");

        var name = "Logiciel de tournées " + BoucleServer.UniqueTag();
        await Page.GetByLabel("Nom du jeton").FillAsync(name);
        await Expect(Page.GetByLabel("Structure")).ToHaveTextAsync(new Regex("Transports Lafage", RegexOptions.IgnoreCase));
        await SubmitAsync(Button("Créer le jeton"));

        var shown = Page.Locator("article[role=status] code");
        await Expect(shown).ToHaveTextAsync(new Regex("^bcl_[0-9a-f]{48}$"));
        var token = (await shown.InnerTextAsync()).Trim();
        var row = Page.Locator("table tbody tr").Filter(new() { HasText = name });
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(token[..10] + "…");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("jamais");

        // The token works on the API (an unknown listing, not a refused token).
        var api = Context.APIRequest;
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token };
        var before = await api.PostAsync("/api/v1/listings/999999999/withdraw", new() { Headers = headers });
        Assert.NotEqual(401, before.Status);

        // Shown once only.
        await GoAsync("/mon-espace/jetons");
        await Expect(Page.Locator("article[role=status]")).ToHaveCountAsync(0);
        Assert.DoesNotContain(token, await Page.ContentAsync());
        await Expect(row).ToHaveCountAsync(1);

        await SubmitAsync(row.GetByRole(AriaRole.Button, new() { Name = "Révoquer" }));
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Jeton révoqué.");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("révoqué");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Révoquer" })).ToHaveCountAsync(0);

        var after = await api.PostAsync("/api/v1/listings/999999999/withdraw", new() { Headers = headers });
        Assert.Equal(401, after.Status);
    }
}
