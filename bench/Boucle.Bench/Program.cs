using Boucle.Bench.Matching;
using Boucle.Bench.Search;

// Benchmarks of Boucle (see bench/README.md). Each prints its figures and the command that made them.
return args.FirstOrDefault() switch
{
    "search" => await SearchBench.RunAsync(args[1..]),
    "match" => await MatchingBench.RunAsync(args[1..]),
    "candidates" => await CandidatesBench.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run --project bench/Boucle.Bench -c Release -- search|match|candidates [options]");
    return 2;
}
