using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Exchanges;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Synergies;

public enum SynergyAccess
{
    None,
    Party,
    Facilitator,
}

public sealed record NewSynergy(int TerritoryId, int GiverOrganisationId, int TakerOrganisationId, int? OfferListingId, int? NeedListingId, string? CategoryCode, string Flow, string Origin);

/// The outcome of a move: either done, or an error for a field ("to", "note") or the whole form (null).
public sealed record MoveResult(bool Done, string? Field, string? Error, bool Conflict = false)
{
    public static MoveResult Ok { get; } = new(true, null, null);
}

/// Creates synergies and moves them through the funnel; every move is dated, signed and checked
/// against the version the person saw.
public sealed class SynergyFunnel(AppDbContext db, TimeProvider time)
{
    public static readonly SynergyStage[] Chain = [SynergyStage.Suggested, SynergyStage.ContactMade, SynergyStage.Agreed, SynergyStage.FirstDelivery, SynergyStage.Recurring];

    public static string Label(SynergyStage stage) => stage switch
    {
        SynergyStage.Suggested => "Suggérée",
        SynergyStage.ContactMade => "Contact pris",
        SynergyStage.Agreed => "Accord trouvé",
        SynergyStage.FirstDelivery => "Premier échange",
        SynergyStage.Recurring => "Échanges réguliers",
        SynergyStage.Abandoned => "Abandonnée",
        _ => stage.ToString(),
    };

    /// Where a synergy may go from a stage: the next stage of the funnel, or abandoned (with a reason);
    /// an abandoned synergy can be taken up again from the start.
    public static IReadOnlyList<SynergyStage> Targets(SynergyStage current) => current switch
    {
        SynergyStage.Abandoned => [SynergyStage.Suggested],
        SynergyStage.Recurring => [SynergyStage.Abandoned],
        _ => [Chain[Array.IndexOf(Chain, current) + 1], SynergyStage.Abandoned],
    };

    public static SynergyAccess Access(ActorInfo me, Synergy s) =>
        me.Facilitates(s.TerritoryId) ? SynergyAccess.Facilitator
        : me.IsMemberOf(s.GiverOrganisationId) || me.IsMemberOf(s.TakerOrganisationId) ? SynergyAccess.Party
        : SynergyAccess.None;

    /// Adds the synergy and its creation step; the caller saves (and commits) with its own changes.
    public async Task<Synergy> CreateAsync(NewSynergy n, string userId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var flow = n.Flow.Trim();
        var synergy = new Synergy
        {
            TerritoryId = n.TerritoryId,
            GiverOrganisationId = n.GiverOrganisationId,
            TakerOrganisationId = n.TakerOrganisationId,
            OfferListingId = n.OfferListingId,
            NeedListingId = n.NeedListingId,
            CategoryCode = n.CategoryCode,
            Flow = flow.Length > 200 ? flow[..200] : flow,
            Stage = SynergyStage.Suggested,
            StageSince = now,
            CreatedAt = now,
            CreatedByUserId = userId,
            Origin = n.Origin,
        };
        db.Set<Synergy>().Add(synergy);
        await db.SaveChangesAsync(ct);
        db.Set<SynergyStep>().Add(new SynergyStep { SynergyId = synergy.Id, FromStage = null, ToStage = SynergyStage.Suggested, At = now, ByUserId = userId });
        await db.SaveChangesAsync(ct);
        return synergy;
    }

    /// The open synergy of an offer–need pair, created (at the suggested stage) when there is none.
    public async Task<Synergy> ForPairAsync(int offerId, int needId, string origin, string userId, CancellationToken ct)
    {
        var existing = await db.Set<Synergy>().AsNoTracking()
            .Where(s => s.OfferListingId == offerId && s.NeedListingId == needId && s.Stage != SynergyStage.Abandoned)
            .OrderBy(s => s.Id).FirstOrDefaultAsync(ct);
        if (existing is not null)
        {
            return existing;
        }

        var offer = await db.Listings.AsNoTracking().SingleAsync(l => l.Id == offerId, ct);
        var need = await db.Listings.AsNoTracking().SingleAsync(l => l.Id == needId, ct);
        return await CreateAsync(new NewSynergy(offer.TerritoryId, offer.OrganisationId, need.OrganisationId, offer.Id, need.Id,
            offer.CategoryCode ?? need.CategoryCode, offer.Title, origin), userId, ct);
    }

    /// Moves a synergy the person may move, from the version they saw. Two people moving the same
    /// synergy at once: the conditional update lets exactly one through.
    public async Task<MoveResult> MoveAsync(ActorInfo me, int id, int version, SynergyStage to, string? note, CancellationToken ct)
    {
        var synergy = await db.Set<Synergy>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (synergy is null || Access(me, synergy) == SynergyAccess.None)
        {
            return new MoveResult(false, null, "Synergie introuvable.");
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > 500 })
        {
            return new MoveResult(false, "note", "La note tient en 500 caractères au plus.");
        }

        if (synergy.Version != version)
        {
            return Conflict(synergy);
        }

        if (!Targets(synergy.Stage).Contains(to))
        {
            return new MoveResult(false, "to", $"Une synergie à l'étape « {Label(synergy.Stage)} » ne peut pas passer à « {Label(to)} ».");
        }

        if (to == SynergyStage.Abandoned && note is null)
        {
            return new MoveResult(false, "note", "Indiquez pourquoi la synergie est abandonnée.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await ApplyAsync(synergy.Id, version, synergy.Stage, to, me.UserId!, note, ct))
        {
            await transaction.RollbackAsync(ct);
            var now = await db.Set<Synergy>().AsNoTracking().SingleAsync(s => s.Id == id, ct);
            return Conflict(now);
        }

        await transaction.CommitAsync(ct);
        return MoveResult.Ok;
    }

    /// After an exchange of the synergy was recorded or confirmed: the first counted exchange moves it
    /// to first delivery, counted exchanges on two different dates to recurring. Runs in the caller's transaction.
    public async Task AdvanceOnDeliveryAsync(int synergyId, string userId, CancellationToken ct)
    {
        var synergy = await db.Set<Synergy>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == synergyId, ct);
        if (synergy is null || synergy.Stage is SynergyStage.Recurring or SynergyStage.Abandoned)
        {
            return;
        }

        var dates = await db.Exchanges.Where(Exchange.Counts).Where(x => x.SynergyId == synergyId).Select(x => x.Date).Distinct().CountAsync(ct);
        var target = dates >= 2 ? SynergyStage.Recurring : dates == 1 ? SynergyStage.FirstDelivery : synergy.Stage;
        if (Array.IndexOf(Chain, target) <= Array.IndexOf(Chain, synergy.Stage))
        {
            return;
        }

        var note = target == SynergyStage.Recurring ? "Automatique : échanges confirmés à deux dates différentes." : "Automatique : premier échange confirmé.";
        await ApplyAsync(synergy.Id, synergy.Version, synergy.Stage, target, userId, note, ct);
    }

    private async Task<bool> ApplyAsync(int id, int version, SynergyStage from, SynergyStage to, string userId, string? note, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var reason = to == SynergyStage.Abandoned ? note : null;
        var changed = await db.Set<Synergy>().Where(s => s.Id == id && s.Version == version && s.Stage == from)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Stage, to)
                .SetProperty(s => s.StageSince, now)
                .SetProperty(s => s.AbandonReason, reason)
                .SetProperty(s => s.Version, version + 1), ct);
        if (changed != 1)
        {
            return false;
        }

        db.Set<SynergyStep>().Add(new SynergyStep { SynergyId = id, FromStage = from, ToStage = to, At = now, ByUserId = userId, Note = note });
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static MoveResult Conflict(Synergy now) => new(false, null,
        $"Cette synergie vient d'être déplacée par quelqu'un d'autre : elle est maintenant à l'étape « {Label(now.Stage)} ». Votre changement n'a pas été enregistré ; vérifiez puis recommencez si besoin.", true);
}
