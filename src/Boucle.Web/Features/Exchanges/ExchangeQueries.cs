using System.Linq.Expressions;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Exchanges;

public sealed record ExchangeRow(
    int Id, int TerritoryId, int? OriginalId, int Version, int? SupersededById, int? SynergyId,
    int GiverId, string GiverName, int TakerId, string TakerName, string? CategoryCode, string? WasteCode,
    double Quantity, QuantityUnit Unit, DateOnly Date, DateOnly? PeriodEnd, string Operation,
    bool RecordedByFacilitator, DateTime? GiverConfirmedAt, DateTime? TakerConfirmedAt, DateTime? ContestedAt, string? ContestReason,
    DateTime CreatedAt)
{
    public int FirstId => OriginalId ?? Id;

    public bool Counts => SupersededById is null && (RecordedByFacilitator || (GiverConfirmedAt is not null && TakerConfirmedAt is not null));

    public string StatusFr => SupersededById is not null ? "remplacé par une correction"
        : RecordedByFacilitator ? "confirmé (enregistré par l'animation)"
        : GiverConfirmedAt is not null && TakerConfirmedAt is not null ? "confirmé par les deux parties"
        : ContestedAt is not null ? "contesté"
        : GiverConfirmedAt is null ? $"en attente de {GiverName}"
        : $"en attente de {TakerName}";

    public string QuantityFr => $"{Quantity.ToString("0.###", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"))} {ListingLabels.Fr(Unit)}";

    public string WhenFr => PeriodEnd is { } end
        ? $"du {Date.ToString("d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"))} au {end.ToString("d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"))}"
        : Date.ToString("d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));

    /// The side this person may still confirm or contest, if any.
    public bool AwaitsFrom(ActorInfo me) => SupersededById is null && !RecordedByFacilitator
        && ((GiverConfirmedAt is null && me.IsMemberOf(GiverId)) || (TakerConfirmedAt is null && me.IsMemberOf(TakerId)));
}

public static class ExchangeQueries
{
    public static IQueryable<ExchangeRow> Rows(AppDbContext db, Expression<Func<Exchange, bool>> filter) =>
        from x in db.Exchanges.AsNoTracking().Where(filter)
        join g in db.Organisations on x.GiverOrganisationId equals g.Id
        join t in db.Organisations on x.TakerOrganisationId equals t.Id
        select new ExchangeRow(x.Id, x.TerritoryId, x.OriginalId, x.Version, x.SupersededById, x.SynergyId,
            g.Id, g.Name, t.Id, t.Name, x.CategoryCode, x.WasteCode, x.Quantity, x.Unit, x.Date, x.PeriodEnd, x.Operation,
            x.RecordedByFacilitator, x.GiverConfirmedAt, x.TakerConfirmedAt, x.ContestedAt, x.ContestReason, x.CreatedAt);

    /// An organisation sees an exchange only when it is a party; facilitators see their territory's.
    public static bool CanSee(ActorInfo me, ExchangeRow x) =>
        me.Facilitates(x.TerritoryId) || me.IsMemberOf(x.GiverId) || me.IsMemberOf(x.TakerId);
}
