using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Email;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Data;

/// The one model, shared by both providers; each provider has its own subclass and migration set.
public abstract class AppDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options)
{
    public DbSet<Territory> Territories => Set<Territory>();
    public DbSet<TerritoryCommune> TerritoryCommunes => Set<TerritoryCommune>();
    public DbSet<TerritoryFacilitator> TerritoryFacilitators => Set<TerritoryFacilitator>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Listing> Listings => Set<Listing>();
    public DbSet<ListingPhoto> ListingPhotos => Set<ListingPhoto>();
    public DbSet<ListingTerm> ListingTerms => Set<ListingTerm>();
    public DbSet<Exchange> Exchanges => Set<Exchange>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public abstract bool IsPostgres { get; }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums as text: readable in SQL, stable when members are reordered.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDbFunction(typeof(SqlFunctions).GetMethod(nameof(SqlFunctions.DistanceKm))!).HasName(SqlFunctions.DistanceFunction);

        // Features added later keep their mapping in their own folder (IEntityTypeConfiguration<T>).
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        builder.Entity<Territory>(e =>
        {
            e.HasIndex(t => t.Slug).IsUnique();
            e.Property(t => t.Slug).HasMaxLength(64);
            e.Property(t => t.Name).HasMaxLength(200);
            e.HasMany(t => t.Communes).WithOne().HasForeignKey(c => c.TerritoryId);
            e.HasMany(t => t.Facilitators).WithOne().HasForeignKey(f => f.TerritoryId);
        });
        builder.Entity<TerritoryCommune>(e =>
        {
            e.HasKey(c => new { c.TerritoryId, c.CommuneInsee });
            e.Property(c => c.CommuneInsee).HasMaxLength(5);
        });
        builder.Entity<TerritoryFacilitator>(e =>
        {
            e.HasKey(f => new { f.TerritoryId, f.UserId });
            e.HasOne<AppUser>().WithMany().HasForeignKey(f => f.UserId);
        });

        builder.Entity<Organisation>(e =>
        {
            e.Property(o => o.Name).HasMaxLength(200);
            e.Property(o => o.Siret).HasMaxLength(14);
            e.Property(o => o.NafCode).HasMaxLength(6);
            e.Property(o => o.CommuneInsee).HasMaxLength(5);
            e.Property(o => o.PostalCode).HasMaxLength(5);
            e.Property(o => o.ExternalKey).HasMaxLength(100);
            e.HasIndex(o => o.Siret);
            e.HasIndex(o => new { o.TerritoryId, o.ExternalKey }).IsUnique();
            e.HasOne<Territory>().WithMany().HasForeignKey(o => o.TerritoryId);
            e.HasMany(o => o.Members).WithOne(m => m.Organisation).HasForeignKey(m => m.OrganisationId);
        });
        builder.Entity<Membership>(e =>
        {
            e.HasKey(m => new { m.OrganisationId, m.UserId });
            e.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId);
        });
        builder.Entity<Invitation>(e =>
        {
            e.HasIndex(i => i.TokenHash).IsUnique();
            e.Property(i => i.Email).HasMaxLength(256);
            e.Property(i => i.TokenHash).HasMaxLength(64);
            e.HasOne<Organisation>().WithMany().HasForeignKey(i => i.OrganisationId);
        });

        builder.Entity<Category>(e =>
        {
            e.HasKey(c => c.Code);
            e.Property(c => c.Code).HasMaxLength(64);
            e.Property(c => c.ParentCode).HasMaxLength(64);
        });

        builder.Entity<Listing>(e =>
        {
            e.Property(l => l.Title).HasMaxLength(140);
            e.Property(l => l.Description).HasMaxLength(4000);
            e.Property(l => l.CategoryCode).HasMaxLength(64);
            e.Property(l => l.WasteCode).HasMaxLength(8);
            e.Property(l => l.CommuneInsee).HasMaxLength(5);
            e.Property(l => l.ExternalKey).HasMaxLength(100);
            e.Property(l => l.Version).IsConcurrencyToken();
            e.HasOne(l => l.Organisation).WithMany().HasForeignKey(l => l.OrganisationId);
            e.HasOne(l => l.Category).WithMany().HasForeignKey(l => l.CategoryCode).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Territory>().WithMany().HasForeignKey(l => l.TerritoryId);
            e.HasMany(l => l.Photos).WithOne().HasForeignKey(p => p.ListingId);
            e.HasIndex(l => new { l.TerritoryId, l.Status, l.PublishedAt });
            // Covers what the search reads of the listings in a circle (ADR 0014): no visit to the rows themselves.
            e.HasIndex(l => new { l.Latitude, l.Longitude, l.Status, l.Type, l.TerritoryId, l.OrganisationId, l.PublishedAt, l.Id }).HasDatabaseName("IX_Listings_Circle");
            e.HasIndex(l => new { l.TerritoryId, l.ExternalKey }).IsUnique();
            e.HasIndex(l => l.CategoryCode);
        });
        builder.Entity<ListingPhoto>(e => e.Property(p => p.FileName).HasMaxLength(64));
        builder.Entity<ListingTerm>(e =>
        {
            e.HasKey(t => new { t.Term, t.ListingId });
            e.Property(t => t.Term).HasMaxLength(64);
            e.HasIndex(t => t.ListingId);
            e.HasOne<Listing>().WithMany().HasForeignKey(t => t.ListingId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Exchange>(e =>
        {
            e.Property(x => x.Operation).HasMaxLength(16);
            e.Property(x => x.WasteCode).HasMaxLength(8);
            e.Property(x => x.CategoryCode).HasMaxLength(64);
            e.Property(x => x.ExternalKey).HasMaxLength(100);
            e.HasOne<Organisation>().WithMany().HasForeignKey(x => x.GiverOrganisationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Organisation>().WithMany().HasForeignKey(x => x.TakerOrganisationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Listing>().WithMany().HasForeignKey(x => x.OfferListingId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Listing>().WithMany().HasForeignKey(x => x.NeedListingId).OnDelete(DeleteBehavior.SetNull);
            e.HasIndex(x => new { x.TerritoryId, x.Date });
            e.Property(x => x.TrackDechetsRef).HasMaxLength(64);
            e.HasIndex(x => x.OriginalId);
            e.HasIndex(x => x.SynergyId);
        });

        builder.Entity<OutboxMessage>(e =>
        {
            e.Property(m => m.To).HasMaxLength(256);
            e.Property(m => m.Subject).HasMaxLength(300);
            e.HasIndex(m => new { m.SentAt, m.NextAttemptAt });
        });
    }
}

public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : AppDbContext(options)
{
    public override bool IsPostgres => false;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // The same formula as the PostgreSQL function, written with SQLite's built-in math functions:
        // a call back into .NET for every row made broad searches slow.
        builder.HasDbFunction(typeof(SqlFunctions).GetMethod(nameof(SqlFunctions.DistanceKm))!)
            .HasTranslation(args => SqlFunctions.SqliteHaversine(args));
    }
}

public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : AppDbContext(options)
{
    public override bool IsPostgres => true;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("postgis");

        // PostGIS answers "within N km" from an index; the point is derived from latitude/longitude
        // so that both providers keep one source of truth.
        foreach (var entity in new[] { typeof(Listing), typeof(Organisation) })
        {
            builder.Entity(entity).Property<NetTopologySuite.Geometries.Point>("Geog")
                .HasColumnType("geography (point, 4326)")
                .HasComputedColumnSql("""ST_SetSRID(ST_MakePoint("Longitude", "Latitude"), 4326)::geography""", stored: true);
            builder.Entity(entity).HasIndex("Geog").HasMethod("gist");
        }
    }
}
