using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class FactorsJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Administrator_records_a_new_version_of_a_density_and_sees_it_first_in_the_table()
    {
        await SignInAsync(Boucle.Web.Data.DemoSeeder.AdministratorEmail, Boucle.Web.Data.DemoSeeder.DemoPassword);
        await GoAsync("/impact/facteurs");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Facteurs d'impact et densités");
        await CheckAtPhoneWidthAsync();

        // Whole tyres (no journey exchanges any): 9.53 kg each in the reference, weighed here at 9.8 kg.
        var densities = Page.GetByRole(AriaRole.Table, new() { Name = "Densités (la plus récente en premier)" });
        var tyres = densities.Locator("tbody tr").Filter(new() { Has = Page.GetByRole(AriaRole.Rowheader, new() { Name = "rubber.tyres", Exact = true }) });
        await Expect(tyres).ToHaveCountAsync(1);
        await Expect(tyres).ToContainTextAsync("v1");

        await Page.GetByLabel("Catégorie", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = await OptionLabelAsync("#CategoryCode", "(rubber.tyres)") });
        await Page.GetByLabel("Unité", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "pièce" });
        await Page.GetByLabel("Tonnes par unité").FillAsync("beaucoup");
        await Page.Locator("#density-source").FillAsync("Pesée de 10 pneus de voiture par la ressourcerie, novembre 2026 : 98 kg.");
        await SubmitAsync(Page.Locator("form[action*='handler=Density'] button"));
        await Expect(FieldError("density-value")).ToHaveTextAsync("Saisissez un nombre (par exemple 0,692 ou 692).");
        await Expect(tyres).ToHaveCountAsync(1);

        // 98 kg / 10 = 9.8 kg = 0.0098 t per tyre, written the French way.
        await Page.GetByLabel("Tonnes par unité").FillAsync("0,0098");
        await SubmitAsync(Page.Locator("form[action*='handler=Density'] button"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Version 2 de la densité « rubber.tyres » enregistrée.");
        await Expect(tyres).ToHaveCountAsync(2);
        await Expect(tyres.First).ToContainTextAsync("v2");
        await Expect(tyres.First).ToContainTextAsync("0,0098");
        await Expect(tyres.First).ToContainTextAsync("Pesée de 10 pneus");
        await Expect(tyres.Nth(1)).ToContainTextAsync("v1");
    }

    private async Task<string> OptionLabelAsync(string select, string ending)
    {
        foreach (var option in await Page.Locator($"{select} option").AllInnerTextsAsync())
        {
            if (option.Trim().EndsWith(ending, StringComparison.Ordinal))
            {
                return option.Trim();
            }
        }

        throw new InvalidOperationException($"No option ending with {ending} in {select}");
    }
}
