using System.CommandLine;
using System.Text;
using Boucle.Matching.Batch;

namespace Boucle.Web.Features.Matching;

/// `boucle match`: the engine on a CSV, without any database.
public static class MatchCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--input") { Description = "Fichier CSV des annonces (id,type,organization,title,...).", Required = true };
        var top = new Option<int>("--top") { Description = "Nombre de contreparties par annonce.", DefaultValueFactory = _ => 10 };
        var format = new Option<string>("--format") { Description = "json ou csv.", DefaultValueFactory = _ => "json" };
        var command = new Command("match", "Propose les contreparties de chaque annonce d'un fichier CSV.") { input, top, format };
        command.SetAction(result =>
        {
            var file = result.GetValue(input)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"fichier introuvable : {file.FullName}");
                return 2;
            }

            using var reader = new StreamReader(file.FullName, Encoding.UTF8);
            var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
            var code = MatchCsvCommand.Run(reader, result.GetValue(top), result.GetValue(format) ?? "json", stdout, Console.Error, TimeProvider.System);
            stdout.Flush();
            return code;
        });
        return command;
    }
}
