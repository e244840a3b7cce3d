using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Synergies;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Data;

/// The demo synergies (Data/Demo/synergies.csv), one per stage or more, linked to the demo exchanges
/// between the same two organisations. Their history is dated from fixed offsets so the seed is
/// deterministic; delivery steps take the dates of the exchanges themselves.
public static class DemoSynergies
{
    public static async Task SeedAsync(AppDbContext db, string file, int territoryId, string facilitatorId,
        IReadOnlyDictionary<string, Organisation> organisations, IReadOnlyDictionary<string, Listing> listings, DateTime now,
        Func<string, List<Dictionary<string, string>>> readRows, CancellationToken ct)
    {
        var exchanges = await db.Exchanges.Where(x => x.TerritoryId == territoryId).ToListAsync(ct);
        foreach (var row in readRows(file))
        {
            if (!organisations.TryGetValue(row["giver"], out var giver) || !organisations.TryGetValue(row["taker"], out var taker))
            {
                continue;
            }

            var offer = listings.GetValueOrDefault(row["offer_listing"]);
            var need = listings.GetValueOrDefault(row["need_listing"]);
            var linked = exchanges.Where(x => x.GiverOrganisationId == giver.Id && x.TakerOrganisationId == taker.Id).OrderBy(x => x.Date).ToList();
            var dates = linked.Select(x => x.Date).Distinct().Order().ToList();
            var stage = row["stage"] switch
            {
                "contact_made" => SynergyStage.ContactMade,
                "agreed" => SynergyStage.Agreed,
                "first_delivery" or "recurring" => dates.Count >= 2 ? SynergyStage.Recurring : dates.Count == 1 ? SynergyStage.FirstDelivery : SynergyStage.Agreed,
                "abandoned" => SynergyStage.Abandoned,
                _ => SynergyStage.Suggested,
            };

            // Deliveries happen on the exchanges' dates; the steps before them are spread evenly from the creation.
            static DateTime Noon(DateOnly d) => d.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);
            var created = now.AddDays(-int.Parse(row["created_days_ago"], System.Globalization.CultureInfo.InvariantCulture));
            if (dates.Count > 0 && Noon(dates[0]).AddDays(-21) < created)
            {
                created = Noon(dates[0]).AddDays(-21);
            }

            var path = stage == SynergyStage.Abandoned
                ? new List<SynergyStage> { SynergyStage.ContactMade, SynergyStage.Abandoned }
                : SynergyFunnel.Chain.Skip(1).TakeWhile(s => s <= stage).ToList();
            var beforeDelivery = path.Count(s => s is not (SynergyStage.FirstDelivery or SynergyStage.Recurring));
            var end = dates.Count > 0 ? Noon(dates[0]) : now;
            var steps = new List<SynergyStep> { new() { FromStage = null, ToStage = SynergyStage.Suggested, At = created, ByUserId = facilitatorId } };
            for (var i = 0; i < path.Count; i++)
            {
                var at = path[i] switch
                {
                    SynergyStage.FirstDelivery => Noon(dates[0]),
                    SynergyStage.Recurring => Noon(dates[1]),
                    _ => created + ((end - created) * (i + 1) / (beforeDelivery + 1)),
                };
                steps.Add(new SynergyStep
                {
                    FromStage = steps[^1].ToStage,
                    ToStage = path[i],
                    At = at,
                    ByUserId = facilitatorId,
                    Note = path[i] == SynergyStage.Abandoned ? row["abandon_reason"] : null,
                });
            }

            var synergy = new Synergy
            {
                TerritoryId = territoryId,
                GiverOrganisationId = giver.Id,
                TakerOrganisationId = taker.Id,
                OfferListingId = offer?.Id,
                NeedListingId = need?.Id,
                CategoryCode = offer?.CategoryCode ?? need?.CategoryCode ?? linked.FirstOrDefault()?.CategoryCode,
                Flow = row["flow"],
                Stage = stage,
                StageSince = steps[^1].At,
                AbandonReason = stage == SynergyStage.Abandoned ? row["abandon_reason"] : null,
                CreatedAt = created,
                CreatedByUserId = facilitatorId,
                Origin = "board",
            };
            db.Set<Synergy>().Add(synergy);
            await db.SaveChangesAsync(ct);
            foreach (var step in steps)
            {
                step.SynergyId = synergy.Id;
                db.Set<SynergyStep>().Add(step);
            }

            foreach (var x in linked)
            {
                x.SynergyId = synergy.Id;
            }

            await db.SaveChangesAsync(ct);
        }
    }
}
