using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Messaging;
using Boucle.Web.Features.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Privacy;

/// How long data is kept, under Boucle:Retention (days; 0 keeps for ever). See README, "Security and privacy".
public sealed class RetentionOptions
{
    /// Facilitators' and administrators' journal entries (the CNIL's guidance for logs: 6 to 12 months).
    public int AuditDays { get; set; } = 365;

    /// Messages between organisations, counted from when they were written.
    public int MessageDays { get; set; } = 730;

    /// E-mails once sent (the outbox row holds the address and the text).
    public int SentEmailDays { get; set; } = 30;

    /// Expired listings, counted from their end date; a listing with a conversation or an exchange stays.
    public int ExpiredListingDays { get; set; } = 365;

    /// How often the purge runs.
    public int EveryHours { get; set; } = 24;
}

public sealed record PurgeReport(int AuditEntries, int Messages, int Conversations, int SentEmails, int Listings);

/// The background job that deletes what is past its retention period, once at start-up and then
/// every EveryHours. Each kind is deleted in its own statement; nothing else is touched.
public sealed class RetentionJob(IServiceProvider services, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(Math.Max(1, options.Value.EveryHours)), time);
        do
        {
            try
            {
                var report = await PurgeAsync(stoppingToken);
                logger.LogInformation("Purge de conservation : {Report}", report);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Purge de conservation reportée.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<PurgeReport> PurgeAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var photos = scope.ServiceProvider.GetRequiredService<PhotoStore>();
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;

        var audit = 0;
        if (o.AuditDays > 0)
        {
            var cutoff = now.AddDays(-o.AuditDays);
            audit = await db.Set<AuditEntry>().Where(a => a.At < cutoff).ExecuteDeleteAsync(ct);
        }

        int messages = 0, conversations = 0;
        if (o.MessageDays > 0)
        {
            var cutoff = now.AddDays(-o.MessageDays);
            messages = await db.Set<Message>().Where(m => m.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
            conversations = await db.Set<Conversation>().Where(c => c.LastMessageAt < cutoff && !c.Messages.Any()).ExecuteDeleteAsync(ct);
        }

        var emails = 0;
        if (o.SentEmailDays > 0)
        {
            var cutoff = now.AddDays(-o.SentEmailDays);
            emails = await db.Outbox.Where(m => m.SentAt != null && m.SentAt < cutoff).ExecuteDeleteAsync(ct);
        }

        var listings = 0;
        if (o.ExpiredListingDays > 0)
        {
            var cutoff = now.AddDays(-o.ExpiredListingDays);
            var old = await db.Listings
                .Where(l => l.Status == ListingStatus.Expired && l.ExpiresAt != null && l.ExpiresAt < cutoff
                    && !db.Set<Conversation>().Any(c => c.ListingId == l.Id) && !db.Exchanges.Any(e => e.OfferListingId == l.Id || e.NeedListingId == l.Id))
                .Select(l => new { l.Id, Photos = l.Photos.Select(p => p.FileName).ToList() })
                .Take(500).ToListAsync(ct);
            foreach (var listing in old)
            {
                try
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    await db.ListingPhotos.Where(p => p.ListingId == listing.Id).ExecuteDeleteAsync(ct);
                    await db.ListingTerms.Where(t => t.ListingId == listing.Id).ExecuteDeleteAsync(ct);
                    await db.Listings.Where(l => l.Id == listing.Id).ExecuteDeleteAsync(ct);
                    await transaction.CommitAsync(ct);
                    listings++;
                    foreach (var name in listing.Photos)
                    {
                        foreach (var file in new[] { name, name.Replace(".jpg", ".thumb.jpg", StringComparison.Ordinal) })
                        {
                            if (photos.PathOf(file) is { } path)
                            {
                                File.Delete(path);
                            }
                        }
                    }
                }
                catch (DbUpdateException ex)
                {
                    // Something else still points at it (a favourite, a synergy decision...): kept.
                    logger.LogDebug(ex, "Annonce expirée {Id} conservée : encore référencée.", listing.Id);
                }
            }
        }

        return new PurgeReport(audit, messages, conversations, emails, listings);
    }
}
