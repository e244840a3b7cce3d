using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Messaging;

/// The conversations of the organisation the person acts for, newest first.
[Authorize]
public sealed class InboxModel(AppDbContext db, CurrentActor actor) : PageModel
{
    public string? OrganisationName { get; private set; }
    public IReadOnlyList<InboxRow> Conversations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        if (me.Current is not { } current)
        {
            return;
        }

        var org = current.OrganisationId;
        OrganisationName = current.Name;
        var rows = await db.Set<Conversation>().AsNoTracking()
            .Where(c => c.OwnerOrganisationId == org || c.AskerOrganisationId == org)
            .OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id)
            .Take(200)
            .Select(c => new
            {
                c.Id,
                c.ListingId,
                ListingTitle = c.Listing!.Title,
                Other = c.OwnerOrganisationId == org ? c.AskerOrganisation!.Name : c.OwnerOrganisation!.Name,
                OtherId = c.OwnerOrganisationId == org ? c.AskerOrganisationId : c.OwnerOrganisationId,
                Last = c.Messages.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
                    .Select(m => new { m.Body, m.CreatedAt, Mine = m.SenderOrganisationId == org }).FirstOrDefault(),
                Unread = c.Messages.Count(m => m.SenderOrganisationId != org
                    && (c.OwnerOrganisationId == org
                        ? c.OwnerLastReadAt == null || m.CreatedAt > c.OwnerLastReadAt
                        : c.AskerLastReadAt == null || m.CreatedAt > c.AskerLastReadAt)),
            })
            .ToListAsync(ct);
        var others = rows.Select(r => r.OtherId).Distinct().ToList();
        var blocked = await db.Set<OrganisationBlock>().AsNoTracking()
            .Where(b => (b.BlockerOrganisationId == org && others.Contains(b.BlockedOrganisationId)) || (b.BlockedOrganisationId == org && others.Contains(b.BlockerOrganisationId)))
            .Select(b => b.BlockerOrganisationId == org ? b.BlockedOrganisationId : b.BlockerOrganisationId)
            .ToListAsync(ct);
        Conversations = [.. rows.Select(r => new InboxRow(r.Id, r.ListingId, r.ListingTitle, r.Other, r.Last?.Body, r.Last?.CreatedAt, r.Last?.Mine ?? false, r.Unread, blocked.Contains(r.OtherId)))];
    }
}

public sealed record InboxRow(int Id, int ListingId, string ListingTitle, string OtherOrganisation, string? LastBody, DateTime? LastAt, bool LastIsMine, int Unread, bool Blocked);
