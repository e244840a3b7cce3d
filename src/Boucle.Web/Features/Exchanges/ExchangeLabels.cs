using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Exchanges;

public sealed record Operation(string Code, string LabelFr);

/// The fixed lists of the exchange form, with their French labels.
public static partial class ExchangeLabels
{
    /// Recovery operations (Directive 2008/98/EC, annex II, R codes), plus reuse (R0, not a waste
    /// operation) and the two biological treatments counted apart by French reporting.
    public static IReadOnlyList<Operation> Operations { get; } =
    [
        new("R0", "Réemploi, réutilisation (R0)"),
        new("R3", "Recyclage de matières organiques (R3)"),
        new("R4", "Recyclage des métaux (R4)"),
        new("R5", "Recyclage d'autres matières minérales (R5)"),
        new("composting", "Compostage"),
        new("digestion", "Méthanisation (digestion anaérobie)"),
        new("R10", "Épandage agricole (R10)"),
        new("R1", "Valorisation énergétique (R1)"),
        new("R2", "Régénération de solvants (R2)"),
        new("R9", "Régénération d'huiles (R9)"),
        new("R12", "Préparation en vue d'une valorisation (R12)"),
    ];

    public static string OperationFr(string? code) => Operations.FirstOrDefault(o => o.Code == code)?.LabelFr ?? code ?? "";

    public static string Fr(TransportMode mode) => mode switch
    {
        TransportMode.None => "Aucun (même site ou apport à pied)",
        TransportMode.Bike => "Vélo cargo",
        TransportMode.Car => "Voiture",
        TransportMode.Van => "Utilitaire",
        TransportMode.Truck => "Camion",
        TransportMode.TruckRefrigerated => "Camion frigorifique",
        TransportMode.Tractor => "Tracteur",
        _ => mode.ToString(),
    };

    /// TrackDéchets form numbers: a kind prefix, the day of creation, nine random characters
    /// (MTES-MCT/trackdechets documentation, "Identifiants": BSD-, DASRI-, FF-, VHU-, BSDA-YYYYMMDD-XXXXXXXXX).
    public static bool IsTrackDechetsRef(string reference)
    {
        var m = TrackDechetsRegex().Match(reference);
        return m.Success && DateOnly.TryParseExact(m.Groups[1].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    [GeneratedRegex("^(?:BSD|BSDA|DASRI|FF|VHU)-([0-9]{8})-[0-9A-Z]{9}$")]
    private static partial Regex TrackDechetsRegex();
}

public sealed class ExchangeConfiguration : IEntityTypeConfiguration<Exchange>
{
    public void Configure(EntityTypeBuilder<Exchange> builder)
    {
        builder.Property(x => x.ContestReason).HasMaxLength(500);
        builder.HasOne<Synergies.Synergy>().WithMany().HasForeignKey(x => x.SynergyId).OnDelete(DeleteBehavior.SetNull);
    }
}
