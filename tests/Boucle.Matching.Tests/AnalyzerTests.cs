using Boucle.Matching.Text;

namespace Boucle.Matching.Tests;

public sealed class AnalyzerTests
{
    private static readonly FrenchAnalyzer A = FrenchAnalyzer.Default;

    [Theory]
    [InlineData("palettes", "palette")]
    [InlineData("cagettes", "cagette")]
    [InlineData("Drêches", "dreches")]
    [InlineData("L'huile", "huile")]
    [InlineData("d’huiles", "huile")]
    [InlineData("qu'épluchures", "épluchure")]
    [InlineData("ÉPLUCHURES", "epluchures")]
    [InlineData("Biodéchets", "biodechet")]
    [InlineData("Cœur", "coeur")]
    public void Variants_analyse_to_the_same_terms(string a, string b) => Assert.Equal(A.Terms(b), A.Terms(a));

    [Theory]
    [InlineData("pour les de la et des")]
    [InlineData("Nous recherchons environ")]
    [InlineData("   ")]
    [InlineData("12 450")]
    public void Stop_words_and_numbers_vanish(string text) => Assert.Empty(A.Terms(text));

    [Fact]
    public void Terms_keep_text_order() =>
        Assert.Equal(A.Terms("bois").Concat(A.Terms("palette")), A.Terms("bois de palette"));

    [Theory]
    [InlineData("biodéchets", "déchets alimentaires")]
    [InlineData("cagette", "caisse bois")]
    [InlineData("drêches", "spent grain")]
    [InlineData("lactosérum", "petit-lait")]
    [InlineData("marc de café", "coffee grounds")]
    [InlineData("polystyrène", "PSE")]
    [InlineData("GRV", "cuve IBC")]
    public void Query_expansion_adds_thesaurus_synonyms(string query, string synonym)
    {
        var expanded = A.ExpandQuery(query);
        Assert.All(A.Terms(synonym), t => Assert.Contains(t, expanded));
    }

    [Fact]
    public void Longest_phrase_wins_in_expansion()
    {
        // "marc de café" is coffee: it must not pull in grape marc vocabulary.
        var expanded = A.ExpandQuery("marc de café");
        Assert.DoesNotContain(A.Terms("raisin")[0], expanded);
    }

    [Fact]
    public void Analyser_is_thread_safe()
    {
        var expected = A.Terms("Palettes bois cassées, cagettes et drêches");
        Parallel.For(0, 200, _ => Assert.Equal(expected, A.Terms("Palettes bois cassées, cagettes et drêches")));
    }
}
