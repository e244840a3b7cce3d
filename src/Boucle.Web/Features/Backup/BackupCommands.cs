using System.CommandLine;

namespace Boucle.Web.Features.Backup;

/// `boucle backup` and `boucle restore`: the same --data-dir and --database as `serve`.
public static class BackupCommands
{
    public static Command Backup()
    {
        var output = new Option<FileInfo>("--output") { Description = "Fichier de sauvegarde à écrire (archive zip).", Required = true };
        var dataDir = BoucleCli.DataDirOption();
        var database = BoucleCli.DatabaseOption();
        var command = new Command("backup", "Sauvegarde la base, les photos et les clés, pendant que l'application tourne.") { output, dataDir, database };
        command.SetAction(async (result, ct) =>
        {
            var options = Options(result.GetValue(dataDir), result.GetValue(database));
            return await Report(() => BackupArchive.WriteAsync(options, result.GetValue(output)!.FullName, ct));
        });
        return command;
    }

    public static Command Restore()
    {
        var input = new Option<FileInfo>("--input") { Description = "Fichier de sauvegarde écrit par `boucle backup`.", Required = true };
        var force = new Option<bool>("--force") { Description = "Remplacer une base qui contient déjà des données." };
        var dataDir = BoucleCli.DataDirOption();
        var database = BoucleCli.DatabaseOption();
        var command = new Command("restore", "Restaure une sauvegarde (application arrêtée).") { input, force, dataDir, database };
        command.SetAction(async (result, ct) =>
        {
            var options = Options(result.GetValue(dataDir), result.GetValue(database));
            return await Report(() => BackupArchive.RestoreAsync(options, result.GetValue(input)!.FullName, result.GetValue(force), ct));
        });
        return command;
    }

    /// The same resolution as `serve`: the option, else BOUCLE_DATABASE, else SQLite in the data folder.
    private static BoucleOptions Options(string? dataDir, string? database) => new()
    {
        DataDir = string.IsNullOrWhiteSpace(dataDir) ? ".boucle" : dataDir,
        Database = string.IsNullOrWhiteSpace(database) ? Environment.GetEnvironmentVariable("BOUCLE_DATABASE") : database,
    };

    private static async Task<int> Report(Func<Task<string>> run)
    {
        try
        {
            Console.WriteLine(await run());
            return 0;
        }
        catch (BackupException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}

/// A refusal or failure with a message for the person at the terminal (no stack trace).
public sealed class BackupException(string message) : Exception(message);
