namespace Boucle.Matching.Tests;

public sealed class CommandTests
{
    private const string Header = "id,type,organization,title,description,quantity,unit,frequency,commune,latitude,longitude,authorised_for_hazardous";

    [Fact]
    public void Malformed_rows_are_reported_with_their_line_and_skipped()
    {
        var csv = string.Join('\n',
            Header,
            "o1,offer,A,Palettes bois,\"Palettes,\nsur deux lignes\",200,pieces,monthly,Bergerac,44.85,0.48,",
            "n1,need,B,Recherche palettes,,,,monthly,Creysse,44.86,0.55,",
            ",need,C,Sans id,,,,,,,,",
            "x1,swap,C,Mauvais type,,,,,,,,",
            "x2,offer,C,,,,,,,,,",
            "x3,offer,C,Quantité,,beaucoup,kg,,,,,",
            "x4,offer,C,Coordonnée,,,,,,91,0.5,",
            "x5,need,C,Autorisation,,,,,,,,peut-être",
            "o1,offer,D,Doublon,,,,,,,,",
            "n2,need,E,Recherche bois de palette,,,,,,44.85,0.49,yes");
        var (code, output, err) = Run.Command(csv);
        Assert.Equal(1, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] expected = ["line 5: missing id", "line 6: bad type", "line 7: missing title", "line 8: bad quantity", "line 9: bad latitude", "line 10: bad authorised_for_hazardous", "line 11: duplicate id"];
        Assert.Equal(expected.Length, lines.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(expected[i], lines[i], StringComparison.Ordinal);
        }

        var ranked = Run.Ranked(output);
        Assert.Equal(["o1", "n1", "n2"], ranked.Keys);
        Assert.Contains("n1", ranked["o1"]);
    }

    [Fact]
    public void All_valid_rows_exit_zero_and_keep_input_order()
    {
        var (code, output, err) = Run.Command(Header + "\nn1,need,B,Recherche cartons,,,,,,,,\no1,offer,A,Cartons d'emballage,,,,,,,,\n");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, err);
        Assert.Equal(["n1", "o1"], Run.Ranked(output).Keys);
    }

    [Fact]
    public void Columns_are_found_by_name_and_extras_ignored()
    {
        var csv = "title,colour,type,id,organization,category,waste_code\nRecherche bouteilles,vert,need,n1,B,glass.bottles,\nBouteilles vides,bleu,offer,o1,A,,15 01 07\n";
        var (code, output, _) = Run.Command(csv);
        Assert.Equal(0, code);
        Assert.Equal(["n1"], Run.Ranked(output)["o1"]);
    }

    [Fact]
    public void Json_keeps_accents_and_has_the_documented_fields()
    {
        var (_, output, _) = Run.Command(Header + "\no1,offer,A,Drêches de brasserie,,500,kg,weekly,Bergerac,44.84,0.47,\nn1,need,B,Éleveur cherche aliments pour le bétail,,,,weekly,Ginestet,44.89,0.44,\n");
        Assert.Contains("drêches → alimentation du bétail", output);
        Assert.Contains("\"distance_km\"", output);
        Assert.Contains("\"pathway\"", output);
        Assert.Contains("\"score\"", output);
        Assert.DoesNotContain("\\u", output);
    }

    [Fact]
    public void Missing_required_header_exits_two()
    {
        var (code, _, err) = Run.Command("id,organization,title\n1,A,B\n");
        Assert.Equal(2, code);
        Assert.StartsWith("line 1: missing required column(s): type", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xml", 5)]
    [InlineData("json", 0)]
    public void Bad_arguments_exit_two(string format, int top) => Assert.Equal(2, Run.Command(Header + "\n", top, format).Code);

    [Fact]
    public void Csv_format_is_supported()
    {
        var (code, output, _) = Run.Command(Header + "\no1,offer,A,Cartons,,,,,,,,\nn1,need,B,Recherche cartons,,,,,,,,\n", format: "csv");
        Assert.Equal(0, code);
        Assert.StartsWith("id,rank,match_id,score,pathway,distance_km,reasons", output, StringComparison.Ordinal);
        Assert.Contains("o1,1,n1,", output);
    }
}
