using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Reference;
using NetArchTest.Rules;

namespace Boucle.Web.Tests;

public sealed class SiretTests
{
    [Theory]
    [InlineData("73282932000074", true)]
    [InlineData("44306184100047", true)]
    [InlineData("73282932000075", false)]
    [InlineData("7328293200007", false)]
    [InlineData("7328293200007A", false)]
    [InlineData("35600000000010", true)] // La Poste: digit sum multiple of 5
    [InlineData("35600000000011", false)]
    [InlineData(null, false)]
    public void Luhn_checksum_decides(string? siret, bool valid) => Assert.Equal(valid, Siret.IsValid(siret));

    [Fact]
    public void Spaces_are_removed_before_checking() => Assert.Equal("73282932000074", Siret.Normalise(" 732 829 320 00074 "));
}

public sealed class GeoTests
{
    [Fact]
    public void Bergerac_to_Perigueux_is_about_47_km()
    {
        var d = Geo.DistanceKm(44.85427, 0.48645, 45.19147, 0.71184);
        Assert.InRange(d, 40, 44);
    }

    [Fact]
    public void The_bounding_box_contains_the_circle()
    {
        var box = Geo.BoundingBox(44.85, 0.48, 30);
        Assert.True(Geo.DistanceKm(44.85, 0.48, box.MaxLat, 0.48) >= 29.9);
        Assert.True(Geo.DistanceKm(44.85, 0.48, 44.85, box.MaxLon) >= 29.9);
    }
}

public sealed class ListingRuleTests
{
    [Theory]
    [InlineData(Frequency.Once, 10, 10)]
    [InlineData(Frequency.Weekly, 10, 520)]
    [InlineData(Frequency.Monthly, 10, 120)]
    [InlineData(Frequency.Quarterly, 10, 40)]
    [InlineData(Frequency.Yearly, 10, 10)]
    [InlineData(Frequency.Daily, 2, 500)]
    public void Annual_quantity_follows_the_frequency(Frequency frequency, double quantity, double annual) =>
        Assert.Equal(annual, Listing.Annualise(quantity, frequency));

    [Fact]
    public void Lifecycle_never_goes_back_from_exchanged()
    {
        Assert.Empty(Features.Listings.DetailsModel.Allowed(ListingStatus.Exchanged));
        Assert.Contains(Features.Listings.DetailsModel.Allowed(ListingStatus.Published), s => s.Status == ListingStatus.Reserved);
    }
}

public sealed class ReferenceDataTests
{
    private static readonly ReferenceData Reference = new(ReferenceData.DefaultFolder);

    [Fact]
    public void Communes_are_found_by_postal_code_name_and_insee_code()
    {
        Assert.Contains(Reference.FindCommunes("24100"), c => c.Insee == "24037");
        Assert.Equal("24037", Reference.FindCommunes("bergerac")[0].Insee);
        Assert.Equal("Bergerac", Reference.Commune("24037")!.Name);
        Assert.Equal("Sciage et rabotage du bois", Reference.Naf("1610A")!.Label[..26]);
    }
}

public sealed class ArchitectureTests
{
    [Fact]
    public void The_matching_engine_depends_on_neither_ef_nor_aspnet()
    {
        var result = Types.InAssembly(System.Reflection.Assembly.Load("Boucle.Matching"))
            .ShouldNot().HaveDependencyOnAny("Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Boucle.Web")
            .GetResult();
        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
        Assert.NotEmpty(Types.InAssembly(System.Reflection.Assembly.Load("Boucle.Matching")).GetTypes());
    }
}
