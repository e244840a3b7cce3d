using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Alerts;

public enum AlertFrequency
{
    Immediate,
    Daily,
    Weekly,
}

/// A search of the board that a person keeps: e-mail alerts on new matching listings and an Atom feed.
public sealed class SavedSearch
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }

    // The criteria, as typed on /annonces; the commune is resolved once, when the search is saved.
    public string? Words { get; set; }
    public ListingType? Type { get; set; }
    public string? Category { get; set; }
    public string? Commune { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public double? RadiusKm { get; set; }
    public int? TerritoryId { get; set; }
    public Frequency? ListingFrequency { get; set; }
    public PriceMode? PriceMode { get; set; }
    public Organisations.OrganisationKind? OrganisationKind { get; set; }
    public string? WastePrefix { get; set; }

    public AlertFrequency Frequency { get; set; }

    /// False after the one-click unsubscribe: the search and its feed stay, the e-mails stop.
    public bool EmailEnabled { get; set; } = true;

    /// The secret part of the Atom feed address.
    public required string FeedToken { get; set; }

    /// Where links in e-mails point when no public address is configured: the site the search was saved on.
    public string? BaseUrl { get; set; }
    public DateTime CreatedAt { get; set; }

    /// Listings published after this instant are new for the next alert.
    public DateTime LastCheckedAt { get; set; }
    public DateTime? LastSentAt { get; set; }

    public ListingQuery ToQuery() => new()
    {
        Words = Words,
        Type = Type,
        Category = Category,
        Latitude = Latitude,
        Longitude = Longitude,
        RadiusKm = Latitude is null ? null : RadiusKm,
        TerritoryId = TerritoryId,
        Frequency = ListingFrequency,
        PriceMode = PriceMode,
        OrganisationKind = OrganisationKind,
        WastePrefix = WastePrefix,
    };

    /// The same search on the board, for links.
    public string BrowseUrl() => QueryString.Create(new Dictionary<string, string?>
    {
        ["q"] = Words,
        ["type"] = Type is { } t ? ListingLabels.Api(t) : null,
        ["category"] = Category,
        ["commune"] = Commune,
        ["rayon"] = Commune is null || RadiusKm is null ? null : RadiusKm.Value.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
        ["regularite"] = ListingFrequency is { } f ? ListingLabels.Api(f) : null,
        ["price_mode"] = PriceMode is { } p ? ListingLabels.Api(p) : null,
        ["org_kind"] = OrganisationKind is { } k ? Organisations.OrganisationLabels.Api(k) : null,
        ["waste"] = WastePrefix,
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent().Insert(0, "/annonces");
}

/// A listing already announced by a saved search's alert: never announced twice.
public sealed class AlertDelivery
{
    public int SavedSearchId { get; set; }
    public int ListingId { get; set; }
    public DateTime SentAt { get; set; }
}

/// A listing a person starred.
public sealed class Favourite
{
    public required string UserId { get; set; }
    public int ListingId { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class SavedSearchConfiguration : IEntityTypeConfiguration<SavedSearch>
{
    public void Configure(EntityTypeBuilder<SavedSearch> builder)
    {
        builder.ToTable("SavedSearches");
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.Property(s => s.Words).HasMaxLength(200);
        builder.Property(s => s.Category).HasMaxLength(64);
        builder.Property(s => s.Commune).HasMaxLength(100);
        builder.Property(s => s.FeedToken).HasMaxLength(64);
        builder.Property(s => s.BaseUrl).HasMaxLength(200);
        builder.Property(s => s.WastePrefix).HasMaxLength(8);
        builder.HasIndex(s => s.FeedToken).IsUnique();
        builder.HasIndex(s => s.UserId);
        builder.HasIndex(s => new { s.EmailEnabled, s.LastCheckedAt });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AlertDeliveryConfiguration : IEntityTypeConfiguration<AlertDelivery>
{
    public void Configure(EntityTypeBuilder<AlertDelivery> builder)
    {
        builder.ToTable("AlertDeliveries");
        builder.HasKey(d => new { d.SavedSearchId, d.ListingId });
        builder.HasOne<SavedSearch>().WithMany().HasForeignKey(d => d.SavedSearchId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Listing>().WithMany().HasForeignKey(d => d.ListingId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class FavouriteConfiguration : IEntityTypeConfiguration<Favourite>
{
    public void Configure(EntityTypeBuilder<Favourite> builder)
    {
        builder.ToTable("Favourites");
        builder.HasKey(f => new { f.UserId, f.ListingId });
        builder.HasIndex(f => f.ListingId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Listing>().WithMany().HasForeignKey(f => f.ListingId).OnDelete(DeleteBehavior.Cascade);
    }
}
