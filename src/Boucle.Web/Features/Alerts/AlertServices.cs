using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Boucle.Web.Data;
using Boucle.Web.Features.Email;
using Boucle.Web.Features.Listings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Alerts;

public static class AlertServices
{
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddSingleton<AlertTokens>();
        services.AddScoped<FavouriteState>();
        services.AddSingleton<AlertSender>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertSender>());
        return services;
    }

    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/alertes/{token}.atom", AtomFeed.GetAsync).ExcludeFromDescription();
        return app;
    }

    public static string FrequencyLabel(AlertFrequency f) => f switch
    {
        AlertFrequency.Immediate => "dès la publication",
        AlertFrequency.Daily => "une fois par jour",
        AlertFrequency.Weekly => "une fois par semaine",
        _ => f.ToString(),
    };

    /// Accepts the enumeration names only; anything else is an error the form shows in French.
    public static AlertFrequency? ParseFrequency(string? text) =>
        Enum.GetValues<AlertFrequency>().Where(f => f.ToString() == text).Select(f => (AlertFrequency?)f).FirstOrDefault();

    /// The absolute address of the site, for links that leave it (e-mails, feeds).
    public static string BaseUrl(BoucleOptions options, SavedSearch search) =>
        (options.PublicUrl ?? search.BaseUrl ?? "http://localhost").TrimEnd('/');
}

/// Tokens of the links that work without signing in: the unsubscribe link is signed (data
/// protection), the feed address is a random secret stored with the search.
public sealed class AlertTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _unsubscribe = provider.CreateProtector("Boucle.Alerts.Unsubscribe.v1");

    public string Unsubscribe(int savedSearchId) => _unsubscribe.Protect(savedSearchId.ToString(CultureInfo.InvariantCulture));

    public int? ReadUnsubscribe(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000)
        {
            return null;
        }

        try
        {
            return int.TryParse(_unsubscribe.Unprotect(token), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public static string NewFeedToken() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(24));
}

/// Sends the alerts: for each saved search that is due, the listings published since the last
/// check that match it, in one e-mail through the outbox. Driven by the injected clock.
public sealed class AlertSender(IServiceProvider services, AlertTokens tokens, IOptions<BoucleOptions> options, TimeProvider time, ILogger<AlertSender> logger) : BackgroundService
{
    /// Listings committed a little after the previous check but stamped before it are still found;
    /// the delivery table keeps them from being announced twice.
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);
    private const int MaxListingsPerEmail = 20;

    // Accents stay readable in the HTML part; markup is still encoded.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    private readonly SemaphoreSlim _running = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Envoi des alertes reporté.");
            }
        }
    }

    /// Queues the e-mails of every due saved search; returns how many were queued.
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            var dayAgo = now.AddDays(-1);
            var weekAgo = now.AddDays(-7);
            List<int> due;
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                due = await db.Set<SavedSearch>().AsNoTracking()
                    .Where(s => s.EmailEnabled && (s.Frequency == AlertFrequency.Immediate
                        || (s.Frequency == AlertFrequency.Daily && s.LastCheckedAt <= dayAgo)
                        || (s.Frequency == AlertFrequency.Weekly && s.LastCheckedAt <= weekAgo)))
                    .OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
            }

            var sent = 0;
            foreach (var id in due)
            {
                // One unit of work per search: its e-mail, its deliveries and its new watermark together.
                await using var scope = services.CreateAsyncScope();
                try
                {
                    sent += await SendOneAsync(scope.ServiceProvider, id, now, ct) ? 1 : 0;
                }
                catch (DbUpdateException ex)
                {
                    // Another instance announced the same listings first.
                    logger.LogInformation(ex, "Alerte {Id} déjà traitée ailleurs.", id);
                }
            }

            return sent;
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task<bool> SendOneAsync(IServiceProvider sp, int id, DateTime now, CancellationToken ct)
    {
        var db = sp.GetRequiredService<AppDbContext>();
        var search = await db.Set<SavedSearch>().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (search is null || !search.EmailEnabled)
        {
            return false;
        }

        var email = await db.Users.Where(u => u.Id == search.UserId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        var since = search.LastCheckedAt - Overlap < search.CreatedAt ? search.CreatedAt : search.LastCheckedAt - Overlap;
        var found = await sp.GetRequiredService<ListingSearch>().SearchAsync(
            search.ToQuery() with { PublishedAfter = since, Sort = ListingSort.Date, PageSize = 100 }, ct);
        var candidateIds = found.Items.Select(i => i.Id).ToList();
        var already = await db.Set<AlertDelivery>().Where(d => d.SavedSearchId == id && candidateIds.Contains(d.ListingId))
            .Select(d => d.ListingId).ToListAsync(ct);
        var fresh = found.Items.Where(i => !already.Contains(i.Id) && i.PublishedAt <= now).ToList();

        search.LastCheckedAt = now;
        var queued = false;
        if (fresh.Count > 0 && !string.IsNullOrEmpty(email))
        {
            foreach (var listing in fresh)
            {
                db.Set<AlertDelivery>().Add(new AlertDelivery { SavedSearchId = id, ListingId = listing.Id, SentAt = now });
            }

            var (subject, text, html) = Compose(search, fresh, AlertServices.BaseUrl(options.Value, search), tokens.Unsubscribe(id));
            sp.GetRequiredService<Mailer>().Queue(email, subject, text, html);
            search.LastSentAt = now;
            queued = true;
        }

        await db.SaveChangesAsync(ct);
        return queued;
    }

    public static (string Subject, string Text, string Html) Compose(SavedSearch search, IReadOnlyList<ListingSummary> listings, string baseUrl, string unsubscribeToken)
    {
        var shown = listings.Take(MaxListingsPerEmail).ToList();
        var count = listings.Count;
        var subject = count == 1
            ? $"1 nouvelle annonce pour « {search.Name} »"
            : $"{count} nouvelles annonces pour « {search.Name} »";
        var unsubscribe = $"{baseUrl}/alertes/desabonnement/{unsubscribeToken}";
        var all = baseUrl + search.BrowseUrl();

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Bonjour,\n\nNouveautés pour votre recherche « {search.Name} » sur Boucle :\n\n");
        foreach (var l in shown)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {ListingLabels.Fr(l.Type)} : {l.Title} ({l.OrganisationName}{(l.Commune is null ? "" : ", " + l.Commune)})\n  {baseUrl}/annonces/{l.Id}\n");
        }

        if (count > shown.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n… et {count - shown.Count} autres.\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\nToute la recherche : {all}\nGérer vos alertes : {baseUrl}/alertes\n\nNe plus recevoir ces e-mails (un clic, sans connexion) : {unsubscribe}\n");

        var h = Html;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p>Bonjour,</p><p>Nouveautés pour votre recherche « {h.Encode(search.Name)} » sur Boucle :</p><ul>");
        foreach (var l in shown)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>{h.Encode(ListingLabels.Fr(l.Type))} : <a href=\"{h.Encode($"{baseUrl}/annonces/{l.Id}")}\">{h.Encode(l.Title)}</a> ({h.Encode(l.OrganisationName)}{(l.Commune is null ? "" : ", " + h.Encode(l.Commune))})</li>");
        }

        html.Append("</ul>");
        if (count > shown.Count)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>… et {count - shown.Count} autres.</p>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{h.Encode(all)}\">Toute la recherche</a> · <a href=\"{h.Encode(baseUrl + "/alertes")}\">Gérer vos alertes</a></p>");
        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{h.Encode(unsubscribe)}\">Ne plus recevoir ces e-mails</a> (un clic, sans connexion).</p>");
        return (subject, text.ToString(), html.ToString());
    }

    public override void Dispose()
    {
        _running.Dispose();
        base.Dispose();
    }
}
