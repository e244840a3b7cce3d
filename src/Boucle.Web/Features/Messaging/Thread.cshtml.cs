using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Messaging;

/// One conversation: the thread, the reply form, report and block. Members of the two organisations
/// only; anyone else (facilitators included: messages are private) gets the same 404 as for a
/// conversation that does not exist.
[Authorize]
public sealed class ThreadModel(AppDbContext db, CurrentActor actor, MessagingService messaging, TimeProvider time) : PageModel
{
    [BindProperty] public string? Body { get; set; }
    [BindProperty] public string? Template { get; set; }
    [BindProperty] public string? ReportReason { get; set; }

    public int ConversationId { get; private set; }
    public int MyOrganisationId { get; private set; }
    public string MyOrganisationName { get; private set; } = "";
    public string OtherOrganisationName { get; private set; } = "";
    public int OtherOrganisationId { get; private set; }
    public int ListingId { get; private set; }
    public string ListingTitle { get; private set; } = "";
    public BlockState Block { get; private set; }
    public IReadOnlyList<MessageRow> Messages { get; private set; } = [];
    public IReadOnlyList<CannedReply> Templates { get; private set; } = [];
    public string? Status { get; private set; }
    public bool ReportOpen { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        await MarkReadAsync(ct);
        Status = Request.Query["etat"].ToString() switch
        {
            "signale" => "Merci : votre signalement a été transmis aux animateurs du territoire, qui ne lisent pas vos messages.",
            "bloque" => $"{OtherOrganisationName} est bloquée : elle ne peut plus vous écrire.",
            "debloque" => $"{OtherOrganisationName} est débloquée.",
            _ => null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostReplyAsync(int id, string? action, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        var template = Templates.FirstOrDefault(t => t.Key == Template);
        var body = MessagingService.Normalise(Body);
        // "Insérer le modèle" (or an empty body with a template still to complete): the text goes
        // into the field to be edited, nothing is sent.
        if (action == "inserer" || (body.Length == 0 && template is { NeedsCompletion: true }))
        {
            ModelState.Remove(nameof(Body));
            Body = template is null ? Body : string.IsNullOrEmpty(body) ? template.Text : $"{body}\n{template.Text}";
            if (template is null)
            {
                ModelState.AddModelError(nameof(Template), "Choisissez un modèle de réponse.");
            }
            else if (action != "inserer")
            {
                ModelState.AddModelError(nameof(Body), "Complétez le modèle avant d'envoyer.");
            }

            return Page();
        }

        if (body.Length == 0 && template is not null)
        {
            body = template.Text;
        }

        if (Block != BlockState.None)
        {
            ModelState.AddModelError(nameof(Body), MessagingService.BlockText(Block, OtherOrganisationName));
            return Page();
        }

        if (MessagingService.BodyError(body) is { } error)
        {
            ModelState.AddModelError(nameof(Body), error);
            return Page();
        }

        var me = await actor.GetAsync(ct);
        if (await messaging.IsRateLimitedAsync(me.UserId!, ct))
        {
            ModelState.AddModelError(nameof(Body), MessagingService.RateLimitMessage);
            return Page();
        }

        var conversation = await db.Set<Conversation>().SingleAsync(c => c.Id == id, ct);
        var message = await messaging.SendAsync(conversation, me, MyOrganisationId, body, $"{Request.Scheme}://{Request.Host}", ct);
        return Redirect($"/messages/{id}#message-{message.Id}");
    }

    public async Task<IActionResult> OnPostReportAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        var reason = MessagingService.Normalise(ReportReason);
        if (reason.Length == 0)
        {
            ModelState.AddModelError(nameof(ReportReason), "Expliquez en quelques mots ce qui pose problème.");
        }
        else if (reason.Length > Report.ReasonMaxLength)
        {
            ModelState.AddModelError(nameof(ReportReason), "1 000 caractères au plus.");
        }

        if (!ModelState.IsValid)
        {
            ReportOpen = true;
            return Page();
        }

        var me = await actor.GetAsync(ct);
        var territoryId = await db.Organisations.Where(o => o.Id == OtherOrganisationId).Select(o => o.TerritoryId).SingleAsync(ct);
        db.Set<Report>().Add(new Report
        {
            TerritoryId = territoryId,
            TargetType = "conversation",
            TargetId = id,
            ReportedOrganisationId = OtherOrganisationId,
            Reason = reason,
            ReporterUserId = me.UserId!,
            ReporterOrganisationId = MyOrganisationId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            Status = ReportStatus.Open,
        });
        await db.SaveChangesAsync(ct);
        return Redirect($"/messages/{id}?etat=signale");
    }

    public async Task<IActionResult> OnPostBlockAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        var exists = await db.Set<OrganisationBlock>().AnyAsync(b => b.BlockerOrganisationId == MyOrganisationId && b.BlockedOrganisationId == OtherOrganisationId, ct);
        if (!exists)
        {
            var me = await actor.GetAsync(ct);
            db.Set<OrganisationBlock>().Add(new OrganisationBlock
            {
                BlockerOrganisationId = MyOrganisationId,
                BlockedOrganisationId = OtherOrganisationId,
                BlockedByUserId = me.UserId!,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(ct);
        }

        return Redirect($"/messages/{id}?etat=bloque");
    }

    public async Task<IActionResult> OnPostUnblockAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        await db.Set<OrganisationBlock>().Where(b => b.BlockerOrganisationId == MyOrganisationId && b.BlockedOrganisationId == OtherOrganisationId).ExecuteDeleteAsync(ct);
        return Redirect($"/messages/{id}?etat=debloque");
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var c = await db.Set<Conversation>().AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.Id, c.OwnerOrganisationId, c.AskerOrganisationId, c.ListingId, ListingTitle = c.Listing!.Title, OwnerName = c.OwnerOrganisation!.Name, AskerName = c.AskerOrganisation!.Name })
            .SingleOrDefaultAsync(ct);
        if (c is null || MessagingService.SideOf(me, c.OwnerOrganisationId, c.AskerOrganisationId) is not { } side)
        {
            return false;
        }

        ConversationId = c.Id;
        MyOrganisationId = side;
        var mine = side == c.OwnerOrganisationId;
        MyOrganisationName = mine ? c.OwnerName : c.AskerName;
        OtherOrganisationId = mine ? c.AskerOrganisationId : c.OwnerOrganisationId;
        OtherOrganisationName = mine ? c.AskerName : c.OwnerName;
        ListingId = c.ListingId;
        ListingTitle = c.ListingTitle;
        Block = await messaging.BlockStateAsync(side, OtherOrganisationId, ct);
        var rows = await db.Set<Message>().AsNoTracking().Where(m => m.ConversationId == id).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => new
            {
                m.Id,
                m.SenderOrganisationId,
                Person = db.Users.Where(u => u.Id == m.SenderUserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefault(),
                m.Body,
                m.CreatedAt,
                Total = m.Notifications.Count,
                Sent = m.Notifications.Count(n => n.Outbox!.SentAt != null),
                Failed = m.Notifications.Count(n => n.Outbox!.SentAt == null && n.Outbox.LastError != null),
            })
            .ToListAsync(ct);
        Messages = [.. rows.Select(r => new MessageRow(
            r.Id, r.Person ?? "", r.SenderOrganisationId == side ? MyOrganisationName : OtherOrganisationName, r.SenderOrganisationId == side, r.Body, r.CreatedAt,
            r.SenderOrganisationId != side ? null
                : r.Total == 0 ? NotificationState.NoRecipient
                : r.Sent == r.Total ? NotificationState.Sent
                : r.Failed > 0 ? NotificationState.Failed
                : NotificationState.Pending))];
        var address = await db.Organisations.AsNoTracking().Where(o => o.Id == side).Select(o => new { o.Address, o.PostalCode, o.CommuneName }).SingleAsync(ct);
        var addressText = string.Join(", ", new[] { address.Address, string.Join(' ', new[] { address.PostalCode, address.CommuneName }.Where(s => !string.IsNullOrWhiteSpace(s))) }
            .Where(s => !string.IsNullOrWhiteSpace(s)));
        Templates = CannedReply.For(addressText);
        return true;
    }

    private async Task MarkReadAsync(CancellationToken ct)
    {
        // Read up to now, or up to the newest message should a clock be behind.
        var now = time.GetUtcNow().UtcDateTime;
        var newest = Messages.Count > 0 ? Messages.Max(m => m.CreatedAt) : now;
        var readAt = DateTime.SpecifyKind(newest > now ? newest : now, DateTimeKind.Utc);
        var id = ConversationId;
        if (Messages.Any(m => !m.Mine))
        {
            if (MyOrganisationId == await db.Set<Conversation>().Where(c => c.Id == id).Select(c => c.OwnerOrganisationId).SingleAsync(ct))
            {
                await db.Set<Conversation>().Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.OwnerLastReadAt, readAt), ct);
            }
            else
            {
                await db.Set<Conversation>().Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.AskerLastReadAt, readAt), ct);
            }
        }
    }
}

public enum NotificationState
{
    Pending,
    Sent,
    Failed,
    NoRecipient,
}

public sealed record MessageRow(long Id, string Person, string Organisation, bool Mine, string Body, DateTime CreatedAt, NotificationState? Notification)
{
    public string NotificationText => Notification switch
    {
        NotificationState.Sent => "e-mail envoyé",
        NotificationState.Pending => "e-mail en attente",
        NotificationState.Failed => "échec de l'e-mail (nouvel essai prévu)",
        NotificationState.NoRecipient => "aucun destinataire à prévenir par e-mail",
        _ => "",
    };
}

/// Ready-made replies; a template is sent as is when the message field is empty, or inserted into
/// the field to be completed (no JavaScript needed).
public sealed record CannedReply(string Key, string Label, string Text, bool NeedsCompletion)
{
    public static IReadOnlyList<CannedReply> For(string pickupAddress) =>
    [
        new("deja-donne", "Déjà donné, désolé.", "Déjà donné, désolé.", false),
        new("adresse", "Adresse d'enlèvement : …",
            string.IsNullOrWhiteSpace(pickupAddress) ? "Adresse d'enlèvement : …" : $"Adresse d'enlèvement : {pickupAddress}",
            string.IsNullOrWhiteSpace(pickupAddress)),
        new("disponible", "Encore disponible, quand passez-vous ?", "Encore disponible, quand passez-vous ?", false),
    ];
}
