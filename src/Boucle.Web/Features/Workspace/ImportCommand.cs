using System.CommandLine;
using Boucle.Web.Data;
using Boucle.Web.Features.Reference;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Workspace;

/// `boucle import organisations`: the import page's checks and transaction, from a terminal.
public static class ImportCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--input") { Description = "Fichier CSV : modèle de Boucle ou extrait SIRENE des établissements.", Required = true };
        var territory = new Option<string?>("--territory") { Description = "Numéro ou identifiant (slug) du territoire. Défaut : le territoire principal." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Vérifie et affiche ce qui serait fait, sans rien écrire." };
        var dataDir = BoucleCli.DataDirOption();
        var database = BoucleCli.DatabaseOption();
        var organisations = new Command("organisations", "Importe des structures depuis un CSV (tout ou rien).") { input, territory, dryRun, dataDir, database };
        organisations.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var file = result.GetValue(input)!;
            if (!file.Exists)
            {
                await error.WriteLineAsync($"fichier introuvable : {file.FullName}");
                return 2;
            }

            await using var services = Services(result.GetValue(dataDir), result.GetValue(database));
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Database.MigrateAsync(ct);
            var wanted = result.GetValue(territory);
            var target = wanted is null
                ? await db.Territories.AsNoTracking().OrderByDescending(t => t.IsMain).ThenBy(t => t.Id).Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(ct)
                : await db.Territories.AsNoTracking().Where(t => t.Slug == wanted || t.Id.ToString() == wanted).Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(ct);
            if (target is null)
            {
                await error.WriteLineAsync(wanted is null ? "aucun territoire dans cette base : créez-en un d'abord." : $"territoire introuvable : {wanted}");
                return 2;
            }

            var bytes = await File.ReadAllBytesAsync(file.FullName, ct);
            var importer = scope.ServiceProvider.GetRequiredService<OrganisationImporter>();
            var dry = result.GetValue(dryRun);
            var plan = dry
                ? await importer.PlanAsync(bytes, target.Id, ct)
                : await importer.ImportAsync(bytes, target.Id, new Importer("cli", "Ligne de commande"), file.Name, ct);
            foreach (var problem in plan.Errors.OrderBy(p => p.Line))
            {
                await error.WriteLineAsync($"line {problem.Line}: {problem.Message}");
            }

            foreach (var skipped in plan.Ignored)
            {
                await output.WriteLineAsync($"line {skipped.Line}: ignorée, {skipped.Message}");
            }

            if (!plan.CanApply)
            {
                await error.WriteLineAsync($"{plan.Errors.Count} erreur(s) : rien n'a été importé dans {target.Name}.");
                return 1;
            }

            await output.WriteLineAsync(dry
                ? $"{target.Name} : {plan.Creates} structure(s) à créer, {plan.Updates} à mettre à jour, {plan.Unchanged} inchangée(s) (essai : rien n'a été écrit)."
                : $"{target.Name} : {plan.Creates} structure(s) créée(s), {plan.Updates} mise(s) à jour, {plan.Unchanged} inchangée(s).");
            return 0;
        });
        return new Command("import", "Importe des données dans une base Boucle.") { organisations };
    }

    private static ServiceProvider Services(string? dataDir, string? database)
    {
        var settings = new Dictionary<string, string?>();
        if (!string.IsNullOrWhiteSpace(dataDir))
        {
            settings["Boucle:DataDir"] = dataDir;
        }

        // The same precedence as `serve`: the option, then BOUCLE_DATABASE, then SQLite in the data directory.
        var connection = !string.IsNullOrWhiteSpace(database) ? database : Environment.GetEnvironmentVariable("BOUCLE_DATABASE");
        if (!string.IsNullOrWhiteSpace(connection))
        {
            settings["Boucle:Database"] = connection;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.Configure<BoucleOptions>(configuration.GetSection("Boucle"));
        services.AddSingleton(TimeProvider.System);
        services.AddBoucleDatabase();
        services.AddReferenceData();
        services.AddScoped<OrganisationImporter>();
        return services.BuildServiceProvider();
    }
}
