using System.CommandLine;
using Boucle.Web.Features.Backup;
using Boucle.Web.Features.Matching;
using Boucle.Web.Features.Workspace;

namespace Boucle.Web;

/// The `boucle` command line. Anything that is not a verb starts the web application with the
/// arguments as host settings, which is how WebApplicationFactory drives it in tests.
public static class BoucleCli
{
    private static readonly string[] Verbs = ["serve", "match", "import", "backup", "restore", "-h", "--help", "-?", "--version"];

    /// Output and error default to the console; tests pass their own writers.
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        if (args.Length == 0 || !Verbs.Contains(args[0]))
        {
            return await WebApp.RunAsync(args, contentRoot: null);
        }

        var root = new RootCommand("Boucle : la plateforme des ressources du territoire.");
        root.Subcommands.Add(ServeCommand());
        root.Subcommands.Add(MatchCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(BackupCommands.Backup());
        root.Subcommands.Add(BackupCommands.Restore());
        var configuration = new InvocationConfiguration();
        if (output is not null)
        {
            configuration.Output = output;
        }

        if (error is not null)
        {
            configuration.Error = error;
        }

        return await root.Parse(args).InvokeAsync(configuration);
    }

    public static Option<string?> DataDirOption() => new("--data-dir")
    {
        Description = "Dossier des données (base SQLite, photos, e-mails en développement). Défaut : ./.boucle",
    };

    public static Option<string?> DatabaseOption() => new("--database")
    {
        Description = "Chaîne de connexion PostgreSQL (sinon BOUCLE_DATABASE, sinon SQLite dans le dossier des données).",
    };

    private static Command ServeCommand()
    {
        var urls = new Option<string?>("--urls") { Description = "Adresse d'écoute, par exemple http://127.0.0.1:5080" };
        var dataDir = DataDirOption();
        var database = DatabaseOption();
        var noDemo = new Option<bool>("--no-demo") { Description = "Ne pas créer le territoire de démonstration." };
        var command = new Command("serve", "Démarre l'application web.") { urls, dataDir, database, noDemo };
        command.SetAction(async (result, _) =>
        {
            var hostArgs = new List<string>();
            void Add(string key, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    hostArgs.Add($"--{key}={value}");
                }
            }

            Add("urls", result.GetValue(urls));
            // Links in e-mails need an absolute address; the first listening address is the best guess.
            if (Environment.GetEnvironmentVariable("Boucle__PublicUrl") is null)
            {
                Add("Boucle:PublicUrl", result.GetValue(urls)?.Split(';')[0]);
            }

            Add("Boucle:DataDir", result.GetValue(dataDir));
            Add("Boucle:Database", result.GetValue(database));
            if (result.GetValue(noDemo))
            {
                Add("Boucle:NoDemo", "true");
            }

            return await WebApp.RunAsync([.. hostArgs], contentRoot: AppContext.BaseDirectory);
        });
        return command;
    }
}
