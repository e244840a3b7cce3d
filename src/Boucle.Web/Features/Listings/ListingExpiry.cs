using Boucle.Web.Data;
using Boucle.Web.Features.Email;
using Boucle.Web.Features.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Listings;

/// Listings do not stay up forever: a week before the end the organisation is asked whether to
/// prolong; at the end the listing expires and leaves the board (it can be republished).
public sealed class ListingExpiry(IServiceProvider services, IOptions<BoucleOptions> options, TimeProvider time, ILogger<ListingExpiry> logger) : BackgroundService
{
    public static readonly TimeSpan ReminderBefore = TimeSpan.FromDays(7);
    public static readonly TimeSpan RenewWindow = TimeSpan.FromDays(14);
    public static readonly TimeSpan RepublishInterval = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Passage d'expiration des annonces reporté.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// Sends the due reminders and expires what ended; returns (reminders, expired).
    public async Task<(int Reminded, int Expired)> RunAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var mailer = scope.ServiceProvider.GetRequiredService<Mailer>();
        var now = time.GetUtcNow().UtcDateTime;
        var soon = now + ReminderBefore;
        var due = await db.Listings.Where(l => l.Status == ListingStatus.Published && l.ExpiresAt != null && l.ExpiresAt > now && l.ExpiresAt <= soon && l.RenewalReminderSentAt == null)
            .Select(l => new { l.Id, l.Title, l.OrganisationId, l.ExpiresAt }).ToListAsync(ct);
        var baseUrl = options.Value.PublicUrl?.TrimEnd('/') ?? "";
        foreach (var listing in due)
        {
            var recipients = await db.Memberships.Where(m => m.OrganisationId == listing.OrganisationId && m.Role >= MemberRole.Manager)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.Email).Where(e => e != null).ToListAsync(ct);
            foreach (var to in recipients)
            {
                mailer.Queue(to!, $"Votre annonce « {listing.Title} » expire bientôt",
                    $"Bonjour,\n\nVotre annonce « {listing.Title} » quittera Boucle le {listing.ExpiresAt:dd/MM/yyyy}.\n"
                    + $"Si la ressource est toujours disponible ou recherchée, prolongez-la en un clic depuis sa page :\n{baseUrl}/annonces/{listing.Id}\n");
            }

            await db.Listings.Where(l => l.Id == listing.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.RenewalReminderSentAt, now), ct);
        }

        await db.SaveChangesAsync(ct);
        var expired = await db.Listings.Where(l => l.Status == ListingStatus.Published && l.ExpiresAt != null && l.ExpiresAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, ListingStatus.Expired).SetProperty(l => l.Version, l => l.Version + 1), ct);
        if (expired > 0)
        {
            scope.ServiceProvider.GetRequiredService<Synergies.ListingChanges>().Bump();
        }

        return (due.Count, expired);
    }
}
