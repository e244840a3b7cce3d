// Benchmarks of Boucle: see bench/README.md.
Console.Error.WriteLine("usage: dotnet run --project bench/Boucle.Bench -c Release -- <search|match> [options]");
return 2;
