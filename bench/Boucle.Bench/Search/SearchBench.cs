namespace Boucle.Bench.Search;

public static class SearchBench
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("search: not written yet");
        return Task.FromResult(2);
    }
}
