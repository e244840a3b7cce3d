using System.Reflection;

namespace Boucle.Matching;

/// <summary>Reads the embedded knowledge files (Knowledge/*.txt, *.json, *.tsv).</summary>
internal static class KnowledgeResources
{
    private static readonly Assembly Assembly = typeof(KnowledgeResources).Assembly;

    public static Stream Open(string fileName)
    {
        var name = "Boucle.Matching.Knowledge." + fileName;
        return Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded knowledge file '{name}' is missing.");
    }

    public static string ReadAll(string fileName)
    {
        using var reader = new StreamReader(Open(fileName));
        return reader.ReadToEnd();
    }

    /// <summary>Non-empty lines, with '#' comments removed.</summary>
    public static IEnumerable<string> ReadLines(string fileName)
    {
        foreach (var raw in ReadAll(fileName).Split('\n'))
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }
}
