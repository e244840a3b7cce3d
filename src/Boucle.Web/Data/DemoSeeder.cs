using System.Globalization;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Reference;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using nietras.SeparatedValues;

namespace Boucle.Web.Data;

/// The demo territory (Grand Bergeracois) from the CSV files in Data/Demo; runs once per database.
public sealed class DemoSeeder(AppDbContext db, ReferenceData reference, ListingWriter listings, CategoryCatalogue categories, TimeProvider time, ILogger<DemoSeeder> logger)
{
    public const string TerritorySlug = "grand-bergeracois";
    public const string DemoPassword = "boucle-demo-2026";
    public const string FacilitatorEmail = "animation@coopactions.example.org";
    public const string AdministratorEmail = "admin@boucle.example.org";

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Data", "Demo");

    /// Reference rows every instance needs, demo or not: the category taxonomy.
    public async Task SeedReferenceAsync(CancellationToken ct)
    {
        var existing = await db.Categories.ToDictionaryAsync(c => c.Code, ct);
        foreach (var c in categories.All)
        {
            if (existing.TryGetValue(c.Code, out var row))
            {
                (row.ParentCode, row.LabelFr, row.LabelEn, row.SortOrder) = (c.ParentCode, c.LabelFr, c.LabelEn, c.SortOrder);
            }
            else
            {
                db.Categories.Add(new Category { Code = c.Code, ParentCode = c.ParentCode, LabelFr = c.LabelFr, LabelEn = c.LabelEn, SortOrder = c.SortOrder });
            }
        }

        await db.SaveChangesAsync(ct);
    }

    public async Task SeedDemoAsync(CancellationToken ct)
    {
        if (await db.Territories.AnyAsync(t => t.Slug == TerritorySlug, ct))
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var bergerac = reference.Commune("24037")!;
        var territory = new Territory
        {
            Slug = TerritorySlug,
            Name = "Grand Bergeracois",
            IsMain = !await db.Territories.AnyAsync(t => t.IsMain, ct),
            CenterLatitude = bergerac.Latitude,
            CenterLongitude = bergerac.Longitude,
            DefaultRadiusKm = 30,
            CreatedAt = now,
        };
        // The perimeter of the Pays is for the client to confirm; the agglomeration and its two
        // neighbouring communities stand in for it.
        string[] epcis = ["CA Bergeracoise", "CC Portes Sud Périgord", "CC de Portes Sud Périgord", "CC des Bastides Dordogne-Périgord", "CC de Montaigne Montravel et Gurson"];
        foreach (var c in reference.AllCommunes.Where(c => c.Departement == "24" && epcis.Contains(c.EpciName)))
        {
            territory.Communes.Add(new TerritoryCommune { CommuneInsee = c.Insee });
        }

        db.Territories.Add(territory);
        await db.SaveChangesAsync(ct);

        var hash = new PasswordHasher<AppUser>().HashPassword(null!, DemoPassword);
        AppUser NewUser(string email, string name, bool admin = false)
        {
            var user = ConfirmedUser(email, name, hash, now);
            user.IsAdministrator = admin;
            db.Users.Add(user);
            return user;
        }

        var facilitator = NewUser(FacilitatorEmail, "Camille Animatrice");
        var administrator = NewUser(AdministratorEmail, "Admin Boucle", admin: true);
        // Facilitators and administrators must use an authenticator app: the demo ones share a public key.
        UseDemoAuthenticator(db, facilitator);
        UseDemoAuthenticator(db, administrator);

        await db.SaveChangesAsync(ct);
        db.TerritoryFacilitators.Add(new TerritoryFacilitator { TerritoryId = territory.Id, UserId = facilitator.Id, Since = now });

        var organisations = new Dictionary<string, Organisation>(StringComparer.Ordinal);
        {
            foreach (var row in ReadRows(Path.Combine(Folder, "organisations.csv")))
            {
                var key = row["key"];
                var commune = reference.Commune(row["commune_insee"]);
                var organisation = new Organisation
                {
                    TerritoryId = territory.Id,
                    ExternalKey = key,
                    Name = row["name"],
                    Siret = Empty(row["siret"]),
                    NafCode = Empty(row["naf"]),
                    Kind = OrganisationLabels.Parse(row["kind"]) ?? OrganisationKind.Other,
                    Address = Empty(row["address"]),
                    PostalCode = Empty(row["postal_code"]),
                    CommuneInsee = commune?.Insee,
                    CommuneName = commune?.Name ?? Empty(row["commune"]),
                    Latitude = Double(row["latitude"]) ?? commune?.Latitude,
                    Longitude = Double(row["longitude"]) ?? commune?.Longitude,
                    HazardousAuthorised = row["hazardous_authorised"] == "yes",
                    HazardousPermit = Empty(row["hazardous_permit"]),
                    Description = Empty(row["description"]),
                    Verified = row["verified"] == "yes",
                    VerifiedAt = row["verified"] == "yes" ? now : null,
                    Website = Empty(row["website"]),
                    CreatedAt = now,
                };
                db.Organisations.Add(organisation);
                organisations[key] = organisation;
            }
        }

        await db.SaveChangesAsync(ct);
        foreach (var (key, organisation) in organisations)
        {
            var owner = NewUser($"{key}@demo.example.org", $"Contact {organisation.Name}");
            owner.CurrentOrganisationId = organisation.Id;
            await db.SaveChangesAsync(ct);
            db.Memberships.Add(new Membership { OrganisationId = organisation.Id, UserId = owner.Id, Role = MemberRole.Owner, Since = now });
        }

        await db.SaveChangesAsync(ct);

        var listingsByKey = new Dictionary<string, Listing>(StringComparer.Ordinal);
        {
            foreach (var row in ReadRows(Path.Combine(Folder, "listings.csv")))
            {
                var organisation = organisations[row["organisation"]];
                var title = row["title"];
                var description = Empty(row["description"]);
                var input = new ListingInput
                {
                    Type = row["type"] == "need" ? ListingType.Need : ListingType.Offer,
                    Title = title,
                    Description = description,
                    Quantity = Double(row["quantity"]),
                    Unit = ListingLabels.ParseUnit(row["unit"]),
                    Frequency = ListingLabels.ParseFrequency(row["frequency"]) ?? Frequency.Once,
                    PriceMode = ListingLabels.ParsePriceMode(row["price_mode"]) ?? PriceMode.Free,
                    PriceEur = Double(row["price_eur"]),
                    WasteCode = Empty(row["waste_code"]),
                    CategoryCode = categories.Suggest(title, description)?.Code,
                    AvailableFrom = Date(row["available_from"]),
                    AvailableUntil = Date(row["available_to"]),
                    ApproximateLocation = row["approximate_location"] == "yes",
                };
                var errors = await listings.ValidateAsync(input, ct);
                if (errors.Count > 0)
                {
                    logger.LogWarning("Annonce de démonstration ignorée « {Title} » : {Errors}", title, string.Join(" ", errors.SelectMany(e => e.Value)));
                    continue;
                }

                var status = Enum.TryParse<ListingStatus>(row["status"], true, out var s) ? s : ListingStatus.Published;
                var listing = await listings.ApplyAsync(null, organisation, input, status == ListingStatus.Draft ? ListingStatus.Draft : ListingStatus.Published, ct);
                var daysAgo = int.TryParse(row["published_days_ago"], out var d) ? d : 0;
                var published = now.AddDays(-daysAgo);
                listing.ExternalKey = row["key"];
                listing.CreatedAt = published;
                listing.UpdatedAt = published;
                listing.PublishedAt = status == ListingStatus.Draft ? null : published;
                // Older demo listings count as prolonged by their authors, so the demo board stays full.
                listing.ExpiresAt = status == ListingStatus.Draft ? null : published.AddDays(territory.ListingExpiryDays * ((daysAgo / territory.ListingExpiryDays) + 1));
                listing.Status = status;
                listingsByKey[listing.ExternalKey] = listing;
            }
        }

        await db.SaveChangesAsync(ct);

        var exchangesFile = Path.Combine(Folder, "exchanges.csv");
        if (File.Exists(exchangesFile))
        {
            var n = 0;
            foreach (var row in ReadRows(exchangesFile))
            {
                if (!organisations.TryGetValue(row["giver"], out var giver) || !organisations.TryGetValue(row["taker"], out var taker))
                {
                    continue;
                }

                var offer = listingsByKey.GetValueOrDefault(row["offer_listing"]);
                var need = listingsByKey.GetValueOrDefault(row["need_listing"]);
                db.Exchanges.Add(new Exchange
                {
                    TerritoryId = territory.Id,
                    GiverOrganisationId = giver.Id,
                    TakerOrganisationId = taker.Id,
                    OfferListingId = offer?.Id,
                    NeedListingId = need?.Id,
                    CategoryCode = offer?.CategoryCode ?? need?.CategoryCode ?? categories.Suggest(row["category_hint"], null)?.Code,
                    WasteCode = Empty(row["waste_code"]),
                    Quantity = Double(row["quantity"]) ?? 0,
                    Unit = ListingLabels.ParseUnit(row["unit"]) ?? QuantityUnit.Kg,
                    Date = Date(row["date"]) ?? DateOnly.FromDateTime(now),
                    Operation = row["operation"],
                    TransportMode = Enum.TryParse<TransportMode>(row["transport_mode"].Replace("_", "", StringComparison.Ordinal), true, out var m) ? m : TransportMode.None,
                    DistanceKm = giver.Latitude is { } gl && taker.Latitude is { } tl ? Math.Round(Geo.DistanceKm(gl, giver.Longitude!.Value, tl, taker.Longitude!.Value), 1) : null,
                    PriceEur = Double(row["price_eur"]),
                    AvoidedCostEur = Double(row["avoided_cost_eur"]),
                    Note = Empty(row["note"]),
                    ExternalKey = $"demo-{++n}",
                    CreatedAt = now,
                    GiverConfirmedAt = now,
                    TakerConfirmedAt = now,
                });
            }

            await db.SaveChangesAsync(ct);
        }

        var synergiesFile = Path.Combine(Folder, "synergies.csv");
        if (File.Exists(synergiesFile))
        {
            await DemoSynergies.SeedAsync(db, synergiesFile, territory.Id, facilitator.Id, organisations, listingsByKey, now, ReadRows, ct);
        }

        await transaction.CommitAsync(ct);
        logger.LogInformation("Territoire de démonstration créé : {Organisations} structures, {Listings} annonces.", organisations.Count, listingsByKey.Count);
    }

    /// Rows as dictionaries: the seed awaits between rows, which a Sep row cannot cross.
    private static List<Dictionary<string, string>> ReadRows(string path)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(path);
        var names = reader.Header.ColNames;
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < names.Count; i++)
            {
                values[names[i]] = row[i].ToString();
            }

            rows.Add(values);
        }

        return rows;
    }

    /// Turns on two-factor sign-in with the public demo key (<see cref="DemoAuthenticator"/>), for
    /// seeded and test facilitators and administrators.
    public static void UseDemoAuthenticator(AppDbContext db, AppUser user)
    {
        user.TwoFactorEnabled = true;
        db.UserTokens.Add(new IdentityUserToken<string> { UserId = user.Id, LoginProvider = "[AspNetUserStore]", Name = "AuthenticatorKey", Value = DemoAuthenticator.Key });
    }

    /// An account whose address is already confirmed, for seeded and test people.
    public static AppUser ConfirmedUser(string email, string name, string passwordHash, DateTime now) => new()
    {
        UserName = email,
        NormalizedUserName = email.ToUpperInvariant(),
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        EmailConfirmed = true,
        DisplayName = name,
        PasswordHash = passwordHash,
        SecurityStamp = Guid.NewGuid().ToString("N"),
        CreatedAt = now,
    };

    private static string? Empty(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static double? Double(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static DateOnly? Date(string s) => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
