using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Reference;
using Boucle.Web.Features.Synergies;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Exchanges;

/// The exchange form as typed: numbers stay text until parsed, so "12,5" and "12.5" both work.
public sealed class ExchangeForm
{
    public int? SynergyId { get; set; }
    public int? Giver { get; set; }
    public int? Taker { get; set; }
    public int? OfferListingId { get; set; }
    public int? NeedListingId { get; set; }
    public string? CategoryCode { get; set; }
    public string? WasteCode { get; set; }
    public string? Quantity { get; set; }
    public string? Unit { get; set; }
    public DateOnly? Date { get; set; }
    public DateOnly? PeriodEnd { get; set; }
    public string? Operation { get; set; }
    public string? TransportMode { get; set; } = nameof(Exchanges.TransportMode.None);
    public string? DistanceKm { get; set; }
    public string? PriceEur { get; set; }
    public string? AvoidedCostEur { get; set; }
    public string? TrackDechetsRef { get; set; }
    public string? Note { get; set; }

    public static ExchangeForm From(Exchange x)
    {
        var fr = CultureInfo.GetCultureInfo("fr-FR");
        return new ExchangeForm
        {
            SynergyId = x.SynergyId,
            Giver = x.GiverOrganisationId,
            Taker = x.TakerOrganisationId,
            OfferListingId = x.OfferListingId,
            NeedListingId = x.NeedListingId,
            CategoryCode = x.CategoryCode,
            WasteCode = x.WasteCode,
            Quantity = x.Quantity.ToString("0.###", fr),
            Unit = x.Unit.ToString(),
            Date = x.Date,
            PeriodEnd = x.PeriodEnd,
            Operation = x.Operation,
            TransportMode = x.TransportMode.ToString(),
            DistanceKm = x.DistanceKm?.ToString("0.#", fr),
            PriceEur = x.PriceEur?.ToString("0.##", fr),
            AvoidedCostEur = x.AvoidedCostEur?.ToString("0.##", fr),
            TrackDechetsRef = x.TrackDechetsRef,
            Note = x.Note,
        };
    }
}

public enum RecorderSide
{
    Giver,
    Taker,
    Facilitator,
}

/// A checked exchange, not yet saved, and on whose behalf it is recorded.
public sealed record PreparedExchange(Exchange Exchange, RecorderSide Side);

/// Checks, records, corrects (as a new version), confirms and contests exchanges.
public sealed class ExchangeRecorder(AppDbContext db, WasteCodes wasteCodes, SynergyFunnel funnel, TimeProvider time)
{
    private const string P = "Input.";

    /// Every rule of the form, each error by its field; null when anything is wrong.
    public async Task<PreparedExchange?> PrepareAsync(ExchangeForm f, ActorInfo me, ModelStateDictionary errors, CancellationToken ct)
    {
        void Error(string field, string message) => errors.AddModelError(P + field, message);

        double? Number(string? text, string field, double max)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var normalised = text.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal).Replace(',', '.');
            if (!double.TryParse(normalised, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                Error(field, "Saisissez un nombre, par exemple 12,5.");
                return null;
            }

            if (value < 0 || value > max)
            {
                Error(field, $"Saisissez un nombre entre 0 et {max.ToString("#,0", CultureInfo.GetCultureInfo("fr-FR"))}.");
                return null;
            }

            return value;
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var giver = f.Giver is { } gid ? await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == gid, ct) : null;
        var taker = f.Taker is { } tid ? await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == tid, ct) : null;
        if (giver is null)
        {
            Error(nameof(f.Giver), "Choisissez la structure qui donne.");
        }

        if (taker is null)
        {
            Error(nameof(f.Taker), "Choisissez la structure qui reçoit.");
        }
        else if (giver is not null && giver.Id == taker.Id)
        {
            Error(nameof(f.Taker), "La structure qui reçoit doit être différente de celle qui donne.");
        }

        RecorderSide? side = null;
        if (giver is not null && taker is not null)
        {
            side = me.IsMemberOf(giver.Id) ? RecorderSide.Giver
                : me.IsMemberOf(taker.Id) ? RecorderSide.Taker
                : me.Facilitates(giver.TerritoryId) ? RecorderSide.Facilitator
                : null;
            if (side is null)
            {
                Error(nameof(f.Giver), "Vous ne pouvez enregistrer que les échanges de votre structure : choisissez-la comme structure qui donne ou qui reçoit.");
            }
        }

        Listing? offer = null, need = null;
        if (f.OfferListingId is { } offerId)
        {
            offer = await db.Listings.AsNoTracking().SingleOrDefaultAsync(l => l.Id == offerId, ct);
            if (offer is null || offer.Type != ListingType.Offer || (giver is not null && offer.OrganisationId != giver.Id))
            {
                Error(nameof(f.OfferListingId), "Choisissez une offre de la structure qui donne.");
            }
        }

        if (f.NeedListingId is { } needId)
        {
            need = await db.Listings.AsNoTracking().SingleOrDefaultAsync(l => l.Id == needId, ct);
            if (need is null || need.Type != ListingType.Need || (taker is not null && need.OrganisationId != taker.Id))
            {
                Error(nameof(f.NeedListingId), "Choisissez un besoin de la structure qui reçoit.");
            }
        }

        var category = string.IsNullOrWhiteSpace(f.CategoryCode) ? offer?.CategoryCode ?? need?.CategoryCode : f.CategoryCode.Trim();
        if (category is not null && !await db.Categories.AnyAsync(c => c.Code == category, ct))
        {
            Error(nameof(f.CategoryCode), "Catégorie inconnue.");
        }

        WasteCode? waste = null;
        if (!string.IsNullOrWhiteSpace(f.WasteCode))
        {
            waste = wasteCodes.Find(f.WasteCode);
            if (waste is null)
            {
                Error(nameof(f.WasteCode), "Ce code n'est pas dans la liste européenne des déchets (six chiffres, par exemple 20 01 08).");
            }
        }
        else if (offer?.WasteCode is { } fromOffer)
        {
            waste = wasteCodes.Find(fromOffer);
        }

        var reference = string.IsNullOrWhiteSpace(f.TrackDechetsRef) ? null : f.TrackDechetsRef.Trim().ToUpperInvariant();
        if (reference is not null && !ExchangeLabels.IsTrackDechetsRef(reference))
        {
            Error(nameof(f.TrackDechetsRef), "Numéro de bordereau TrackDéchets attendu, par exemple BSD-20260315-4K7PQ2XZ9.");
        }
        else if (reference is null && waste is { Hazardous: true })
        {
            Error(nameof(f.TrackDechetsRef), $"Le code {waste.Display} désigne un déchet dangereux : indiquez le numéro de son bordereau TrackDéchets.");
        }

        var quantity = Number(f.Quantity, nameof(f.Quantity), 1_000_000_000);
        if (string.IsNullOrWhiteSpace(f.Quantity))
        {
            Error(nameof(f.Quantity), "Indiquez la quantité échangée.");
        }
        else if (quantity is 0)
        {
            Error(nameof(f.Quantity), "La quantité doit être supérieure à zéro.");
        }

        QuantityUnit? unit = Enum.TryParse<QuantityUnit>(f.Unit, out var u) && Enum.IsDefined(u) ? u : null;
        if (unit is null)
        {
            Error(nameof(f.Unit), "Choisissez l'unité.");
        }

        if (f.Date is not { } date)
        {
            Error(nameof(f.Date), "Indiquez la date de l'échange (ou le premier jour de la période).");
        }
        else if (date > today)
        {
            Error(nameof(f.Date), "Un échange s'enregistre une fois réalisé : la date ne peut pas être dans le futur.");
        }

        if (f.PeriodEnd is { } end && f.Date is { } start)
        {
            if (end < start)
            {
                Error(nameof(f.PeriodEnd), "La fin de la période doit suivre son début.");
            }
            else if (end > today)
            {
                Error(nameof(f.PeriodEnd), "La période doit être terminée pour être enregistrée.");
            }
            else if (end.DayNumber - start.DayNumber > 366)
            {
                Error(nameof(f.PeriodEnd), "Une période couvre un an au plus : enregistrez un total par mois.");
            }
        }

        if (ExchangeLabels.Operations.All(o => o.Code != f.Operation))
        {
            Error(nameof(f.Operation), "Choisissez ce que devient la ressource (réemploi, recyclage, compostage...).");
        }

        var mode = Enum.TryParse<TransportMode>(f.TransportMode, out var m) && Enum.IsDefined(m) ? m : (TransportMode?)null;
        if (mode is null)
        {
            Error(nameof(f.TransportMode), "Choisissez le mode de transport.");
        }

        var distance = Number(f.DistanceKm, nameof(f.DistanceKm), 2000);
        if (string.IsNullOrWhiteSpace(f.DistanceKm) && giver is not null && taker is not null)
        {
            distance = ComputedDistance(giver, taker);
        }

        var price = Number(f.PriceEur, nameof(f.PriceEur), 100_000_000);
        var avoided = Number(f.AvoidedCostEur, nameof(f.AvoidedCostEur), 100_000_000);
        var note = string.IsNullOrWhiteSpace(f.Note) ? null : f.Note.Trim();
        if (note is { Length: > 1000 })
        {
            Error(nameof(f.Note), "La note tient en 1 000 caractères au plus.");
        }
        else if (note is null && side == RecorderSide.Facilitator)
        {
            Error(nameof(f.Note), "Vous enregistrez au nom des deux structures : notez comment l'échange vous a été déclaré.");
        }

        if (f.SynergyId is { } synergyId)
        {
            var synergy = await db.Set<Synergy>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == synergyId, ct);
            if (synergy is null || SynergyFunnel.Access(me, synergy) == SynergyAccess.None)
            {
                Error(nameof(f.SynergyId), "Synergie introuvable.");
            }
            else if (giver is not null && taker is not null && (synergy.GiverOrganisationId != giver.Id || synergy.TakerOrganisationId != taker.Id))
            {
                Error(nameof(f.Giver), "Un échange de cette synergie va de la structure qui donne à celle qui reçoit de la synergie.");
            }
        }

        if (!errors.IsValid || giver is null || taker is null || side is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        return new PreparedExchange(new Exchange
        {
            TerritoryId = giver.TerritoryId,
            GiverOrganisationId = giver.Id,
            TakerOrganisationId = taker.Id,
            OfferListingId = offer?.Id,
            NeedListingId = need?.Id,
            CategoryCode = category,
            WasteCode = waste?.Code,
            Quantity = quantity!.Value,
            Unit = unit!.Value,
            Date = f.Date!.Value,
            PeriodEnd = f.PeriodEnd,
            Operation = f.Operation!,
            TransportMode = mode!.Value,
            DistanceKm = distance,
            PriceEur = price,
            AvoidedCostEur = avoided,
            Note = note,
            TrackDechetsRef = reference,
            SynergyId = f.SynergyId,
            CreatedAt = now,
            RecordedByUserId = me.UserId,
            RecordedByFacilitator = side == RecorderSide.Facilitator,
            // The recorder's side is confirmed by recording; the other side confirms from its list.
            GiverConfirmedAt = side == RecorderSide.Giver ? now : null,
            TakerConfirmedAt = side == RecorderSide.Taker ? now : null,
        }, side.Value);
    }

    public static double? ComputedDistance(Organisations.Organisation giver, Organisations.Organisation taker) =>
        giver.Latitude is { } gl && giver.Longitude is { } gn && taker.Latitude is { } tl && taker.Longitude is { } tn
            ? Math.Round(Geo.DistanceKm(gl, gn, tl, tn), 1)
            : null;

    public async Task<Exchange> RecordAsync(PreparedExchange prepared, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Exchanges.Add(prepared.Exchange);
        await db.SaveChangesAsync(ct);
        await AdvanceAsync(prepared.Exchange, prepared.Exchange.RecordedByUserId!, ct);
        await transaction.CommitAsync(ct);
        return prepared.Exchange;
    }

    /// A correction is a new version; the corrected row stays, pointing at it. Null when someone
    /// corrected the same version first.
    public async Task<Exchange?> CorrectAsync(int currentId, PreparedExchange prepared, CancellationToken ct)
    {
        var current = await db.Exchanges.AsNoTracking().SingleAsync(x => x.Id == currentId, ct);
        var next = prepared.Exchange;
        next.Version = current.Version + 1;
        next.OriginalId = current.OriginalId ?? current.Id;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Exchanges.Add(next);
        await db.SaveChangesAsync(ct);
        var replaced = await db.Exchanges.Where(x => x.Id == currentId && x.SupersededById == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.SupersededById, next.Id), ct);
        if (replaced != 1)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return null;
        }

        await AdvanceAsync(next, next.RecordedByUserId!, ct);
        await transaction.CommitAsync(ct);
        return next;
    }

    /// Confirms the sides this person speaks for; false when there was nothing left to confirm.
    public async Task<bool> ConfirmAsync(ActorInfo me, int id, CancellationToken ct)
    {
        var x = await db.Exchanges.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (x is null || x.SupersededById is not null || x.RecordedByFacilitator)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var giver = x.GiverConfirmedAt is null && me.IsMemberOf(x.GiverOrganisationId);
        var taker = x.TakerConfirmedAt is null && me.IsMemberOf(x.TakerOrganisationId);
        if (!giver && !taker)
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Exchanges
            .Where(e => e.Id == id && e.SupersededById == null && (!giver || e.GiverConfirmedAt == null) && (!taker || e.TakerConfirmedAt == null))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.GiverConfirmedAt, e => giver ? now : e.GiverConfirmedAt)
                .SetProperty(e => e.TakerConfirmedAt, e => taker ? now : e.TakerConfirmedAt)
                .SetProperty(e => e.ContestedAt, (DateTime?)null)
                .SetProperty(e => e.ContestReason, (string?)null), ct);
        if (changed != 1)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }

        x.GiverConfirmedAt = giver ? now : x.GiverConfirmedAt;
        x.TakerConfirmedAt = taker ? now : x.TakerConfirmedAt;
        await AdvanceAsync(x, me.UserId!, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    public async Task<bool> ContestAsync(ActorInfo me, int id, string reason, CancellationToken ct)
    {
        var x = await db.Exchanges.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (x is null || x.SupersededById is not null || x.RecordedByFacilitator)
        {
            return false;
        }

        var giver = x.GiverConfirmedAt is null && me.IsMemberOf(x.GiverOrganisationId);
        var taker = x.TakerConfirmedAt is null && me.IsMemberOf(x.TakerOrganisationId);
        if (!giver && !taker)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        return await db.Exchanges.Where(e => e.Id == id && e.SupersededById == null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ContestedAt, now).SetProperty(e => e.ContestReason, reason), ct) == 1;
    }

    private async Task AdvanceAsync(Exchange x, string userId, CancellationToken ct)
    {
        if (x.SynergyId is { } synergyId && (x.RecordedByFacilitator || (x.GiverConfirmedAt is not null && x.TakerConfirmedAt is not null)))
        {
            await funnel.AdvanceOnDeliveryAsync(synergyId, userId, ct);
        }
    }
}
