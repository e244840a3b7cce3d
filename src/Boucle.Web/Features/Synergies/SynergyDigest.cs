using System.Text;
using Boucle.Web.Data;
using Boucle.Web.Features.Email;
using Boucle.Web.Features.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Synergies;

/// When a newly published listing is a strong match for another organisation's open listing,
/// that organisation's owners and managers hear of it by e-mail.
public sealed class SynergyDigest(AppDbContext db, SynergyService synergies, Mailer mailer)
{
    public const double StrongScore = 0.6;

    public async Task<int> NotifyAsync(int listingId, string baseUrl, CancellationToken ct)
    {
        var listing = await db.Listings.AsNoTracking().Where(l => l.Id == listingId)
            .Select(l => new { l.Title, l.OrganisationId, OrganisationName = l.Organisation!.Name }).SingleOrDefaultAsync(ct);
        if (listing is null)
        {
            return 0;
        }

        var strong = (await synergies.MatchesForAsync(db, listingId, 10, ct)).Where(m => m.Score >= StrongScore).ToList();
        var sent = 0;
        foreach (var group in strong.GroupBy(m => m.Listing.OrganisationId))
        {
            var recipients = await db.Memberships.Where(m => m.OrganisationId == group.Key && m.Role >= MemberRole.Manager)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.Email).Where(e => e != null).ToListAsync(ct);
            var text = new StringBuilder();
            text.AppendLine("Bonjour,").AppendLine();
            text.AppendLine($"{listing.OrganisationName} vient de publier « {listing.Title} » : {baseUrl}/annonces/{listingId}").AppendLine();
            text.AppendLine("Le moteur de synergies le rapproche de vos annonces :");
            foreach (var m in group)
            {
                text.AppendLine($"- « {m.Listing.Title} » : {string.Join(", ", m.Reasons)}");
            }

            foreach (var to in recipients)
            {
                mailer.Queue(to!, $"Nouvelle synergie possible : {listing.Title}", text.ToString());
                sent++;
            }
        }

        await db.SaveChangesAsync(ct);
        return sent;
    }
}
