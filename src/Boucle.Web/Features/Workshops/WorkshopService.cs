using System.Globalization;
using System.Security.Cryptography;
using Boucle.Matching.Engine;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Synergies;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Workshops;

/// What a participant (or the facilitator for them) types on a card.
public sealed class CardForm
{
    public ListingType? Type { get; set; }
    public string? Text { get; set; }
    public double? Quantity { get; set; }
    public QuantityUnit? Unit { get; set; }
    public Frequency? Frequency { get; set; }

    /// Only the facilitator chooses; a participant writes for the organisation they act for.
    public int? OrganisationId { get; set; }
}

public sealed record CardView(int Id, int OrganisationId, string OrganisationName, ListingType Type, string Text, double? Quantity, QuantityUnit? Unit,
    Frequency Frequency, DateTime CreatedAt, int? DraftListingId)
{
    public string Key => "c" + Id.ToString(CultureInfo.InvariantCulture);

    public string QuantityText => Quantity is { } q
        ? q.ToString("0.##", CultureInfo.GetCultureInfo("fr-FR")) + (Unit is { } u ? " " + ListingLabels.Fr(u) : "") + (Frequency == Listings.Frequency.Once ? "" : " " + ListingLabels.Fr(Frequency).ToLowerInvariant())
        : "";
}

/// One side of a pair on the board: a card of the session or a listing already on the platform.
public sealed record BoardSide(string Key, string Title, string OrganisationName, bool IsCard, int? ListingId);

public sealed record BoardPair(BoardSide Offer, BoardSide Need, double Score, string Pathway, double? DistanceKm, IReadOnlyList<string> Reasons, bool Discussed);

public sealed record WorkshopBoard(IReadOnlyList<CardView> Cards, IReadOnlyList<BoardPair> Pairs);

public sealed class WorkshopService(AppDbContext db, TimeProvider time, ListingChanges changes, WorkshopBoardCache cache, ListingWriter writer, CategoryCatalogue catalogue)
{
    /// Cards a person may write in one minute: a phone session types a handful, a script many.
    public const int CardsPerMinute = 20;

    /// Pairs below this engine score stay off the board: a workshop wants few, good conversations.
    public const double BoardThreshold = 0.3;

    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public async Task<string> NewJoinCodeAsync(CancellationToken ct)
    {
        while (true)
        {
            var code = new string([.. Enumerable.Range(0, 6).Select(_ => CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)])]);
            if (!await db.Set<Workshop>().AnyAsync(w => w.JoinCode == code, ct))
            {
                return code;
            }
        }
    }

    public static string NormaliseCode(string? code) => new([.. (code ?? "").Trim().ToUpperInvariant().Where(char.IsLetterOrDigit)]);

    /// Field errors in French, keyed like the form's fields ("Card.Text").
    public async Task<Dictionary<string, string>> ValidateAsync(Workshop workshop, CardForm card, string userId, bool isNew, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (workshop.Status == WorkshopStatus.Closed)
        {
            errors[""] = "L'atelier est clos : il n'accepte plus de cartes.";
            return errors;
        }

        if (card.Type is null)
        {
            errors["Card.Type"] = "Choisissez « j'ai » ou « je cherche ».";
        }

        var text = card.Text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors["Card.Text"] = "Écrivez en quelques mots ce que vous avez ou cherchez.";
        }
        else if (text.Length is < 4 or > 140)
        {
            errors["Card.Text"] = "Entre 4 et 140 caractères.";
        }

        if (card.Quantity is { } q && (q <= 0 || q > 1e9 || double.IsNaN(q)))
        {
            errors["Card.Quantity"] = "La quantité doit être un nombre positif.";
        }

        if (card.Quantity is not null && card.Unit is null)
        {
            errors["Card.Unit"] = "Précisez l'unité.";
        }

        if (isNew)
        {
            var since = time.GetUtcNow().UtcDateTime.AddMinutes(-1);
            if (await db.Set<WorkshopCard>().CountAsync(c => c.CreatedByUserId == userId && c.CreatedAt > since, ct) >= CardsPerMinute)
            {
                errors[""] = "Beaucoup de cartes en une minute : attendez quelques secondes avant la suivante.";
            }
        }

        return errors;
    }

    public async Task<WorkshopCard> SaveAsync(Workshop workshop, WorkshopCard? card, CardForm form, int organisationId, string userId, CancellationToken ct)
    {
        if (card is null)
        {
            card = new WorkshopCard { WorkshopId = workshop.Id, Text = "", CreatedByUserId = userId, CreatedAt = time.GetUtcNow().UtcDateTime, OrganisationId = organisationId };
            db.Add(card);
        }

        card.Type = form.Type!.Value;
        card.Text = form.Text!.Trim();
        card.Quantity = form.Quantity;
        card.Unit = form.Quantity is null ? null : form.Unit;
        card.Frequency = form.Frequency ?? Frequency.Once;
        await db.SaveChangesAsync(ct);
        return card;
    }

    public Task<List<CardView>> CardsAsync(int workshopId, IReadOnlyCollection<int>? organisations, CancellationToken ct) =>
        db.Set<WorkshopCard>().AsNoTracking()
            .Where(c => c.WorkshopId == workshopId && (organisations == null || organisations.Contains(c.OrganisationId)))
            .OrderBy(c => c.Id)
            .Select(c => new CardView(c.Id, c.OrganisationId, c.Organisation!.Name, c.Type, c.Text, c.Quantity, c.Unit, c.Frequency, c.CreatedAt, c.DraftListingId))
            .ToListAsync(ct);

    /// The cards, and the engine's pairs among them and with the territory's open listings, best first.
    public async Task<WorkshopBoard> BoardAsync(Workshop workshop, CancellationToken ct)
    {
        var cards = await CardsAsync(workshop.Id, null, ct);
        var stamp = string.Join('|', cards.Select(c => $"{c.Id}:{c.Type}:{c.Text}:{c.Quantity}:{c.Unit}:{c.Frequency}")) + "#" + changes.Version.ToString(CultureInfo.InvariantCulture);
        var pairs = cache.Get(workshop.Id, stamp);
        if (pairs is null)
        {
            pairs = await ComputePairsAsync(workshop, cards, ct);
            cache.Set(workshop.Id, stamp, pairs);
        }

        var discussed = (await db.Set<WorkshopDiscussion>().AsNoTracking().Where(d => d.WorkshopId == workshop.Id)
            .Select(d => new { d.OfferKey, d.NeedKey }).ToListAsync(ct)).Select(d => (d.OfferKey, d.NeedKey)).ToHashSet();
        return new WorkshopBoard(cards, [.. pairs.Select(p => p with { Discussed = discussed.Contains((p.Offer.Key, p.Need.Key)) })]);
    }

    private sealed record ListingRow(int Id, ListingType Type, int OrganisationId, string OrganisationName, string Title, string? Description, double? Quantity,
        QuantityUnit? Unit, Frequency Frequency, double Latitude, double Longitude, string? Commune, bool Authorised, string? Category, string? WasteCode);

    private async Task<IReadOnlyList<BoardPair>> ComputePairsAsync(Workshop workshop, List<CardView> cards, CancellationToken ct)
    {
        if (cards.Count == 0)
        {
            return [];
        }

        var listings = await db.Listings.AsNoTracking()
            .Where(l => l.TerritoryId == workshop.TerritoryId && (l.Status == ListingStatus.Published || l.Status == ListingStatus.Reserved) && !l.Organisation!.Suspended)
            .Select(l => new ListingRow(l.Id, l.Type, l.OrganisationId, l.Organisation!.Name, l.Title, l.Description, l.Quantity, l.Unit, l.Frequency,
                l.Latitude, l.Longitude, l.CommuneName, l.Organisation.HazardousAuthorised, l.CategoryCode, l.WasteCode))
            .ToListAsync(ct);
        var orgIds = cards.Select(c => c.OrganisationId).Distinct().ToList();
        var orgs = await db.Organisations.AsNoTracking().Where(o => orgIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => new { o.Latitude, o.Longitude, o.CommuneName, o.HazardousAuthorised }, ct);
        var extra = await db.Set<CustomPathway>().AsNoTracking()
            .Select(p => new Boucle.Matching.Knowledge.ValorisationPathway(p.FromCategory, p.ToCategory, p.Operation, p.Rank, p.LabelFr, p.Source))
            .ToListAsync(ct);

        // Cards become engine records like listings, located at their organisation.
        var cardRecords = cards.Select(c =>
        {
            var o = orgs.GetValueOrDefault(c.OrganisationId);
            return new MatchListing(c.Key, c.Type == ListingType.Offer ? ListingKind.Offer : ListingKind.Need, Org(c.OrganisationId), c.Text, null,
                c.Quantity is { } q ? (decimal)q : null, c.Unit is { } u ? ListingLabels.Api(u) : null, ListingLabels.Api(c.Frequency),
                o?.Latitude, o?.Longitude, o?.CommuneName, o?.HazardousAuthorised ?? false);
        }).ToList();
        var listingRecords = listings.Select(l => new MatchListing("l" + l.Id.ToString(CultureInfo.InvariantCulture),
            l.Type == ListingType.Offer ? ListingKind.Offer : ListingKind.Need, Org(l.OrganisationId), l.Title, l.Description,
            l.Quantity is { } q && double.IsFinite(q) && Math.Abs(q) < 1e12 ? (decimal)q : null, l.Unit is { } u ? ListingLabels.Api(u) : null,
            ListingLabels.Api(l.Frequency), l.Latitude, l.Longitude, l.Commune, l.Authorised, l.Category, l.WasteCode));
        var index = new SynergyEngine(time, extra).Index([.. cardRecords, .. listingRecords]);

        var sides = cards.ToDictionary(c => c.Key, c => new BoardSide(c.Key, c.Text, c.OrganisationName, true, null));
        foreach (var l in listings)
        {
            var key = "l" + l.Id.ToString(CultureInfo.InvariantCulture);
            sides[key] = new BoardSide(key, l.Title, l.OrganisationName, false, l.Id);
        }

        var pairs = new Dictionary<(string Offer, string Need), MatchResult>();
        foreach (var record in cardRecords)
        {
            foreach (var r in index.Match(record, 8).Where(r => r.Score >= BoardThreshold && sides.ContainsKey(r.Id)))
            {
                var key = record.Kind == ListingKind.Offer ? (record.Id, r.Id) : (r.Id, record.Id);
                if (!pairs.TryGetValue(key, out var known) || known.Score < r.Score)
                {
                    pairs[key] = r;
                }
            }
        }

        return [.. pairs.OrderByDescending(p => p.Value.Score).ThenBy(p => p.Key.Offer, StringComparer.Ordinal).ThenBy(p => p.Key.Need, StringComparer.Ordinal)
            .Select(p => new BoardPair(sides[p.Key.Offer], sides[p.Key.Need], p.Value.Score, p.Value.Pathway, p.Value.DistanceKm, p.Value.Reasons, false))];
    }

    private static string Org(int id) => id.ToString(CultureInfo.InvariantCulture);

    /// Closes the session: no more cards, and each card becomes a draft listing of its organisation, all or nothing.
    public async Task<int> CloseAsync(Workshop workshop, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var cards = await db.Set<WorkshopCard>().Include(c => c.Organisation).Where(c => c.WorkshopId == workshop.Id && c.DraftListingId == null).OrderBy(c => c.Id).ToListAsync(ct);
        var note = $"Saisi lors de l'atelier « {workshop.Title} » du {workshop.Date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("fr-FR"))}. À compléter et publier.";
        foreach (var card in cards)
        {
            var input = new ListingInput
            {
                Type = card.Type,
                Title = card.Text,
                Description = note,
                Quantity = card.Quantity,
                Unit = card.Unit,
                Frequency = card.Frequency,
                CategoryCode = catalogue.Suggest(card.Text, null)?.Code,
            };
            if ((await writer.ValidateAsync(input, ct)).Count > 0)
            {
                continue;
            }

            var listing = await writer.ApplyAsync(null, card.Organisation!, input, ListingStatus.Draft, ct);
            card.DraftListingId = listing.Id;
        }

        workshop.Status = WorkshopStatus.Closed;
        workshop.ClosedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return cards.Count(c => c.DraftListingId is not null);
    }

    public static async Task<Workshop?> ForFacilitatorAsync(AppDbContext db, CurrentActor actor, int id, CancellationToken ct)
    {
        var workshop = await db.Set<Workshop>().SingleOrDefaultAsync(w => w.Id == id, ct);
        return workshop is not null && (await actor.GetAsync(ct)).Facilitates(workshop.TerritoryId) ? workshop : null;
    }

    public static string Csv(Workshop workshop, WorkshopBoard board)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CsvText.Line("atelier", "date", "carte", "organisation", "type", "texte", "quantite", "unite", "frequence", "saisie_le", "annonce_brouillon", "correspondances"));
        foreach (var c in board.Cards)
        {
            var matches = board.Pairs.Where(p => p.Offer.Key == c.Key || p.Need.Key == c.Key)
                .Select(p => (p.Offer.Key == c.Key ? p.Need : p.Offer) is var other ? $"{other.Title} ({other.OrganisationName}, {p.Score * 100:0} %{(p.Discussed ? ", discutée" : "")})" : "");
            text.Append(CsvText.Line(workshop.Title, workshop.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.Id, c.OrganisationName,
                c.Type == ListingType.Offer ? "j'ai" : "je cherche", c.Text, c.Quantity, c.Unit is { } u ? ListingLabels.Api(u) : null, ListingLabels.Api(c.Frequency),
                c.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), c.DraftListingId, string.Join(" ; ", matches)));
        }

        return text.ToString();
    }
}

/// The last board of each session, kept while neither its cards nor the platform's listings change: the
/// board polls every few seconds and the engine need not rerun for nothing.
public sealed class WorkshopBoardCache
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, (string Stamp, IReadOnlyList<BoardPair> Pairs)> _boards = new();

    public IReadOnlyList<BoardPair>? Get(int workshopId, string stamp) =>
        _boards.TryGetValue(workshopId, out var b) && b.Stamp == stamp ? b.Pairs : null;

    public void Set(int workshopId, string stamp, IReadOnlyList<BoardPair> pairs) => _boards[workshopId] = (stamp, pairs);
}

public static class WorkshopServices
{
    public static IServiceCollection AddWorkshops(this IServiceCollection services)
    {
        services.AddSingleton<WorkshopBoardCache>();
        services.AddScoped<WorkshopService>();
        return services;
    }
}
