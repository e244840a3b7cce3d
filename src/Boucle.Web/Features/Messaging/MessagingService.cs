using System.Globalization;
using System.Text.Encodings.Web;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Email;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Messaging;

public static class MessagingServices
{
    public static IServiceCollection AddMessaging(this IServiceCollection services)
    {
        services.AddScoped<MessagingService>();
        return services;
    }
}

public enum BlockState
{
    None,

    /// The acting organisation blocked the other one.
    BlockedByMe,

    /// The other organisation blocked the acting one.
    BlockedMe,
}

/// The rules every message follows, whichever page sends it: body, blocks, rate limit, notification.
public sealed class MessagingService(AppDbContext db, Mailer mailer, TimeProvider time)
{
    public const int RateLimitCount = 20;
    public static readonly TimeSpan RateLimitWindow = TimeSpan.FromMinutes(10);
    public const string RateLimitMessage = "Vous avez envoyé 20 messages en 10 minutes : patientez quelques minutes avant d'en envoyer un autre.";

    /// Line breaks as the browser sends them (CRLF) count as one character, as the person sees them.
    public static string Normalise(string? body) => (body ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();

    public static string? BodyError(string body) =>
        body.Length == 0 ? "Écrivez votre message."
        : body.Length > Message.MaxLength
            ? string.Create(CultureInfo.GetCultureInfo("fr-FR"), $"Votre message est trop long : {Message.MaxLength:N0} caractères au plus ({body.Length:N0} saisis).")
            : null;

    public static string BlockText(BlockState state, string otherName) => state switch
    {
        BlockState.BlockedByMe => $"Vous avez bloqué {otherName} : vous ne pouvez plus échanger de messages tant que vous ne la débloquez pas.",
        BlockState.BlockedMe => $"{otherName} a bloqué votre structure : vous ne pouvez plus lui envoyer de messages.",
        _ => "",
    };

    /// The side of the conversation the person acts for: their current organisation when it is one
    /// of the two, else the one they belong to; null when they belong to neither.
    public static int? SideOf(ActorInfo me, int ownerOrganisationId, int askerOrganisationId)
    {
        if (me.Current is { } current && (current.OrganisationId == ownerOrganisationId || current.OrganisationId == askerOrganisationId))
        {
            return current.OrganisationId;
        }

        return me.IsMemberOf(ownerOrganisationId) ? ownerOrganisationId
            : me.IsMemberOf(askerOrganisationId) ? askerOrganisationId
            : null;
    }

    public async Task<BlockState> BlockStateAsync(int me, int other, CancellationToken ct)
    {
        var blocks = await db.Set<OrganisationBlock>().AsNoTracking()
            .Where(b => (b.BlockerOrganisationId == me && b.BlockedOrganisationId == other) || (b.BlockerOrganisationId == other && b.BlockedOrganisationId == me))
            .Select(b => b.BlockerOrganisationId).ToListAsync(ct);
        return blocks.Contains(me) ? BlockState.BlockedByMe : blocks.Contains(other) ? BlockState.BlockedMe : BlockState.None;
    }

    public async Task<bool> IsRateLimitedAsync(string userId, CancellationToken ct)
    {
        var since = time.GetUtcNow().UtcDateTime - RateLimitWindow;
        return await db.Set<Message>().CountAsync(m => m.SenderUserId == userId && m.CreatedAt > since, ct) >= RateLimitCount;
    }

    /// Adds the message, marks the thread read for the sender's side and queues one e-mail per member
    /// of the other organisation, all in the caller's unit of work (saved here).
    public async Task<Message> SendAsync(Conversation conversation, ActorInfo me, int senderOrganisationId, string body, string baseUrl, CancellationToken ct)
    {
        // A new conversation needs its id for the link in the e-mail: saved first, in the same transaction.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var now = time.GetUtcNow().UtcDateTime;
        if (conversation.Id == 0)
        {
            conversation.CreatedAt = now;
            conversation.LastMessageAt = now;
            await db.SaveChangesAsync(ct);
        }

        var message = new Message { SenderOrganisationId = senderOrganisationId, SenderUserId = me.UserId!, Body = body, CreatedAt = now };
        conversation.Messages.Add(message);
        conversation.LastMessageAt = now;
        if (senderOrganisationId == conversation.OwnerOrganisationId)
        {
            conversation.OwnerLastReadAt = now;
        }
        else
        {
            conversation.AskerLastReadAt = now;
        }

        var recipientOrganisationId = senderOrganisationId == conversation.OwnerOrganisationId ? conversation.AskerOrganisationId : conversation.OwnerOrganisationId;
        var names = await db.Organisations.AsNoTracking().Where(o => o.Id == senderOrganisationId || o.Id == recipientOrganisationId)
            .ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var listingTitle = await db.Listings.Where(l => l.Id == conversation.ListingId).Select(l => l.Title).SingleAsync(ct);
        // Every member of the other organisation with a confirmed address: a conversation about a
        // listing concerns whoever handles it there, not only its managers.
        var recipients = await db.Memberships.AsNoTracking().Where(m => m.OrganisationId == recipientOrganisationId && m.UserId != me.UserId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u)
            .Where(u => u.EmailConfirmed && u.Email != null)
            .Select(u => u.Email!).Distinct().ToListAsync(ct);

        var senderName = names.GetValueOrDefault(senderOrganisationId, "");
        var recipientName = names.GetValueOrDefault(recipientOrganisationId, "");
        var queued = new List<OutboxMessage>();
        foreach (var email in recipients)
        {
            var before = db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToHashSet();
            Queue(email, conversation, message, me.DisplayName ?? "", senderName, recipientName, listingTitle, baseUrl);
            queued.AddRange(db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added && !before.Contains(e.Entity)).Select(e => e.Entity));
        }

        foreach (var outbox in queued)
        {
            message.Notifications.Add(new MessageNotification { Outbox = outbox });
        }

        await db.SaveChangesAsync(ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        return message;
    }

    private void Queue(string to, Conversation conversation, Message message, string person, string senderName, string recipientName, string listingTitle, string baseUrl)
    {
        var link = $"{baseUrl}/messages/{conversation.Id}";
        var subject = $"Nouveau message de {senderName} : {listingTitle}";
        if (subject.Length > 300)
        {
            subject = subject[..299] + "…";
        }

        var excerpt = message.Body.Length > 1000 ? message.Body[..1000] + "…" : message.Body;
        var text = $"Bonjour,\n\n{person} ({senderName}) vous a écrit au sujet de l'annonce « {listingTitle} ».\n\nLire et répondre sur Boucle :\n{link}\n\n---\n{excerpt}\n---\n\n"
            + $"Vous recevez cet e-mail parce que vous êtes membre de {recipientName} sur Boucle.";
        var e = HtmlEncoder.Default;
        var html = $"<p>Bonjour,</p><p>{e.Encode(person)} ({e.Encode(senderName)}) vous a écrit au sujet de l'annonce « {e.Encode(listingTitle)} ».</p>"
            + $"<p><a href=\"{e.Encode(link)}\">Lire et répondre sur Boucle</a></p>"
            + $"<blockquote style=\"white-space:pre-line\">{e.Encode(excerpt)}</blockquote>"
            + $"<p>Vous recevez cet e-mail parce que vous êtes membre de {e.Encode(recipientName)} sur Boucle.</p>";
        mailer.Queue(to, subject, text, html);
    }

    /// Unread messages of the organisation: messages of the other side newer than its last reading.
    public Task<int> UnreadCountAsync(int organisationId, CancellationToken ct = default) =>
        db.Set<Message>().CountAsync(m => m.SenderOrganisationId != organisationId
            && ((m.Conversation!.OwnerOrganisationId == organisationId && (m.Conversation.OwnerLastReadAt == null || m.CreatedAt > m.Conversation.OwnerLastReadAt))
                || (m.Conversation.AskerOrganisationId == organisationId && (m.Conversation.AskerLastReadAt == null || m.CreatedAt > m.Conversation.AskerLastReadAt))), ct);
}

public static class MessagingFormat
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private static readonly TimeZoneInfo Paris = FindParis();

    public static DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Paris);

    public static string When(DateTime utc) => Local(utc).ToString("d MMMM yyyy 'à' HH:mm", French);

    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Excerpt(string body, int length = 160)
    {
        var flat = body.ReplaceLineEndings(" ");
        return flat.Length > length ? flat[..length] + "…" : flat;
    }

    private static TimeZoneInfo FindParis()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
