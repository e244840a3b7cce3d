using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class ImportJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Facilitator_imports_organisations_after_fixing_the_file_the_preview_showed_wrong()
    {
        await SignInAsync(Boucle.Web.Data.DemoSeeder.FacilitatorEmail, Boucle.Web.Data.DemoSeeder.DemoPassword);
        var tag = BoucleServer.UniqueTag();
        var folder = Directory.CreateTempSubdirectory("boucle-e2e-import-").FullName;
        var (first, second) = (NewSiret(), NewSiret());
        var wrongSiret = second[..13] + (char)('0' + ((second[13] - '0' + 1) % 10));

        await GoAsync("/animation/acteurs");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Importer des structures" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Importer des structures");

        // Line 3 has a SIRET whose check digit is wrong: the preview says so, and offers no import.
        var wrong = Path.Combine(folder, "structures.csv");
        await File.WriteAllTextAsync(wrong,
            $"nom;siret;type;code_commune\nRessourcerie {tag};{first};association;24037\nScierie {tag};{wrongSiret};company;24037\n", new UTF8Encoding(true));
        await Page.GetByLabel("Fichier CSV").SetInputFilesAsync(wrong);
        await SubmitAsync(Button("Voir l'aperçu"));
        await Expect(FieldError("Csv")).ToContainTextAsync("1 erreur(s) : rien ne sera importé");
        await Expect(Page.Locator("table.import-errors tbody tr")).ToHaveTextAsync(new Regex($"^3\\s*siret : « {wrongSiret} » n'est pas un SIRET valide"));
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Importer", Exact = false })).ToHaveCountAsync(0);

        // Corrected: preview, then import.
        await File.WriteAllTextAsync(wrong,
            $"nom;siret;type;code_commune\nRessourcerie {tag};{first};association;24037\nScierie {tag};{second};company;24037\n", new UTF8Encoding(true));
        await Page.GetByLabel("Fichier CSV").SetInputFilesAsync(wrong);
        await SubmitAsync(Button("Voir l'aperçu"));
        await Expect(Page.Locator("table.import-lines tbody tr")).ToHaveCountAsync(2);
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Importer \\(") }));
        await Expect(Page.Locator("p.notice")).ToContainTextAsync("Import terminé : 2 structure(s) créée(s)");

        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Voir l'annuaire" }));
        await Page.GetByLabel("Nom", new() { Exact = true }).FillAsync(tag);
        await SubmitAsync(Button("Filtrer"));
        await Expect(Page.Locator("table.directory tbody tr")).ToHaveCountAsync(2);
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = $"Scierie {tag}" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Scierie {tag}");
    }

    /// A SIRET no other journey uses: 13 random digits and the Luhn check digit.
    private static string NewSiret()
    {
        var digits = "9" + string.Concat(Enumerable.Range(0, 12).Select(_ => (char)('0' + Random.Shared.Next(10))));
        return Enumerable.Range(0, 10).Select(d => digits + (char)('0' + d)).First(Boucle.Web.Features.Organisations.Siret.IsValid);
    }
}
