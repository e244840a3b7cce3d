using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Boucle.Web.Data;
using Boucle.Web.Features.Alerts;
using Boucle.Web.Features.ApiTokens;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Messaging;
using Boucle.Web.Features.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Privacy;

/// One table of a person's data: column names and rows of text, the same for JSON and CSV.
public sealed record DataTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows);

/// An organisation the person is the only owner of: to hand over or close before deleting the account.
public sealed record SoleOwnership(int OrganisationId, string Name, IReadOnlyList<(string UserId, string Name)> OtherMembers);

/// What Boucle holds about a person (GDPR articles 15 and 20), and the deletion of their account
/// (article 17): personal fields are erased, what they wrote for their organisation stays under
/// "ancien membre".
public sealed class PersonalData(AppDbContext db, TimeProvider time)
{
    public const string FormerMember = "Ancien membre";

    public async Task<IReadOnlyList<DataTable>> CollectAsync(string userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
        var tables = new List<DataTable>
        {
            new("compte", ["adresse_email", "nom", "telephone", "cree_le", "email_confirme", "double_authentification"],
                [[user.Email, user.DisplayName, user.PhoneNumber, Date(user.CreatedAt), Bool(user.EmailConfirmed), Bool(user.TwoFactorEnabled)]]),
        };

        var memberships = await db.Memberships.AsNoTracking().Where(m => m.UserId == userId)
            .Select(m => new { m.OrganisationId, m.Organisation!.Name, m.Role, m.Since }).ToListAsync(ct);
        tables.Add(new("structures", ["structure_id", "structure", "role", "depuis"],
            [.. memberships.Select(m => (IReadOnlyList<string?>)[Id(m.OrganisationId), m.Name, m.Role.ToString(), Date(m.Since)])]));

        var messages = await db.Set<Message>().AsNoTracking().Where(m => m.SenderUserId == userId).OrderBy(m => m.CreatedAt)
            .Select(m => new { m.Id, m.ConversationId, Listing = m.Conversation!.Listing!.Title, m.CreatedAt, m.Body }).ToListAsync(ct);
        tables.Add(new("messages", ["message_id", "conversation_id", "annonce", "ecrit_le", "texte"],
            [.. messages.Select(m => (IReadOnlyList<string?>)[Id(m.Id), Id(m.ConversationId), m.Listing, Date(m.CreatedAt), m.Body])]));

        var searches = await db.Set<SavedSearch>().AsNoTracking().Where(s => s.UserId == userId)
            .Select(s => new { s.Id, s.Name, s.Words, s.Commune, s.RadiusKm, s.Frequency, s.EmailEnabled, s.CreatedAt }).ToListAsync(ct);
        tables.Add(new("recherches_enregistrees", ["id", "nom", "mots", "commune", "rayon_km", "frequence", "par_email", "creee_le"],
            [.. searches.Select(s => (IReadOnlyList<string?>)[Id(s.Id), s.Name, s.Words, s.Commune, s.RadiusKm?.ToString(CultureInfo.InvariantCulture), s.Frequency.ToString(), Bool(s.EmailEnabled), Date(s.CreatedAt)])]));

        var favourites = await db.Set<Favourite>().AsNoTracking().Where(f => f.UserId == userId)
            .Join(db.Listings, f => f.ListingId, l => l.Id, (f, l) => new { f.ListingId, l.Title, f.CreatedAt }).ToListAsync(ct);
        tables.Add(new("favoris", ["annonce_id", "annonce", "ajoute_le"],
            [.. favourites.Select(f => (IReadOnlyList<string?>)[Id(f.ListingId), f.Title, Date(f.CreatedAt)])]));

        var tokens = await db.Set<ApiToken>().AsNoTracking().Where(t => t.UserId == userId)
            .Select(t => new { t.Name, t.Prefix, t.OrganisationId, t.CreatedAt, t.LastUsedAt, t.RevokedAt }).ToListAsync(ct);
        tables.Add(new("jetons_api", ["nom", "debut_du_jeton", "structure_id", "cree_le", "dernier_usage", "revoque_le"],
            [.. tokens.Select(t => (IReadOnlyList<string?>)[t.Name, t.Prefix, Id(t.OrganisationId), Date(t.CreatedAt), Date(t.LastUsedAt), Date(t.RevokedAt)])]));

        var reports = await db.Set<Report>().AsNoTracking().Where(r => r.ReporterUserId == userId)
            .Select(r => new { r.Id, r.TargetType, r.TargetId, r.Reason, r.CreatedAt, r.Status }).ToListAsync(ct);
        tables.Add(new("signalements", ["id", "objet", "objet_id", "raison", "le", "etat"],
            [.. reports.Select(r => (IReadOnlyList<string?>)[Id(r.Id), r.TargetType, Id(r.TargetId), r.Reason, Date(r.CreatedAt), r.Status.ToString()])]));
        return tables;
    }

    public static byte[] ToJson(IReadOnlyList<DataTable> tables)
    {
        var document = tables.ToDictionary(t => t.Name, t => t.Rows.Select(r => t.Columns.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList());
        return JsonSerializer.SerializeToUtf8Bytes(document, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// One CSV per table (UTF-8 with a byte-order mark so that spreadsheets read the accents), zipped.
    public static byte[] ToCsvZip(IReadOnlyList<DataTable> tables)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var table in tables)
            {
                var entry = zip.CreateEntry(table.Name + ".csv");
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
                writer.Write(string.Join(',', table.Columns.Select(Csv)) + "\r\n");
                foreach (var row in table.Rows)
                {
                    writer.Write(string.Join(',', row.Select(Csv)) + "\r\n");
                }
            }
        }

        return buffer.ToArray();
    }

    public async Task<IReadOnlyList<SoleOwnership>> SoleOwnershipsAsync(string userId, CancellationToken ct)
    {
        var owned = await db.Memberships.AsNoTracking().Where(m => m.UserId == userId && m.Role == MemberRole.Owner)
            .Where(m => !db.Memberships.Any(o => o.OrganisationId == m.OrganisationId && o.UserId != userId && o.Role == MemberRole.Owner))
            .Select(m => new { m.OrganisationId, m.Organisation!.Name }).ToListAsync(ct);
        var result = new List<SoleOwnership>();
        foreach (var o in owned)
        {
            var others = await db.Memberships.AsNoTracking().Where(m => m.OrganisationId == o.OrganisationId && m.UserId != userId)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, Name = u.DisplayName ?? u.Email ?? "" })
                .OrderBy(u => u.Name).ToListAsync(ct);
            result.Add(new SoleOwnership(o.OrganisationId, o.Name, [.. others.Select(u => (u.Id, u.Name))]));
        }

        return result;
    }

    /// Makes another member the owner; the person stays a manager until they delete their account.
    public async Task<bool> HandOverAsync(string userId, int organisationId, string newOwnerId, CancellationToken ct)
    {
        var mine = await db.Memberships.SingleOrDefaultAsync(m => m.OrganisationId == organisationId && m.UserId == userId && m.Role == MemberRole.Owner, ct);
        var theirs = await db.Memberships.SingleOrDefaultAsync(m => m.OrganisationId == organisationId && m.UserId == newOwnerId && m.UserId != userId, ct);
        if (mine is null || theirs is null)
        {
            return false;
        }

        theirs.Role = MemberRole.Owner;
        mine.Role = MemberRole.Manager;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// Closes an organisation: its listings are withdrawn, members and invitations removed, and it
    /// no longer appears (marked suspended, with the reason "closed by its owner").
    public async Task<bool> CloseAsync(string userId, int organisationId, CancellationToken ct)
    {
        if (!await db.Memberships.AnyAsync(m => m.OrganisationId == organisationId && m.UserId == userId && m.Role == MemberRole.Owner, ct))
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Listings.Where(l => l.OrganisationId == organisationId && l.Status != ListingStatus.Exchanged && l.Status != ListingStatus.Withdrawn && l.Status != ListingStatus.Expired)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, ListingStatus.Withdrawn).SetProperty(l => l.Version, l => l.Version + 1), ct);
        await db.Invitations.Where(i => i.OrganisationId == organisationId).ExecuteDeleteAsync(ct);
        await db.Set<ApiToken>().Where(t => t.OrganisationId == organisationId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, time.GetUtcNow().UtcDateTime), ct);
        await db.Memberships.Where(m => m.OrganisationId == organisationId).ExecuteDeleteAsync(ct);
        await db.Organisations.Where(o => o.Id == organisationId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Suspended, true).SetProperty(o => o.SuspendedReason, "Structure fermée par son propriétaire."), ct);
        await db.Users.Where(u => u.CurrentOrganisationId == organisationId).ExecuteUpdateAsync(s => s.SetProperty(u => u.CurrentOrganisationId, (int?)null), ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// Erases the account. The row stays as a nameless tombstone so that messages, reports and
    /// journal entries keep an author, shown as "Ancien membre"; it can never sign in again.
    public async Task DeleteAccountAsync(string userId, CancellationToken ct)
    {
        if ((await SoleOwnershipsAsync(userId, ct)).Count > 0)
        {
            throw new InvalidOperationException("Structures à transmettre ou fermer d'abord.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Memberships.Where(m => m.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Set<SavedSearch>().Where(s => s.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Set<Favourite>().Where(f => f.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Set<ApiToken>().Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);
        await db.TerritoryFacilitators.Where(f => f.UserId == userId).ExecuteDeleteAsync(ct);
        await db.UserTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);
        await db.UserLogins.Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);
        await db.UserClaims.Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);
        await db.UserRoles.Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);
        var tombstone = "supprime-" + userId;
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.Email, (string?)null).SetProperty(u => u.NormalizedEmail, (string?)null)
            .SetProperty(u => u.UserName, tombstone).SetProperty(u => u.NormalizedUserName, tombstone.ToUpperInvariant())
            .SetProperty(u => u.DisplayName, FormerMember).SetProperty(u => u.PhoneNumber, (string?)null)
            .SetProperty(u => u.PasswordHash, (string?)null).SetProperty(u => u.EmailConfirmed, false)
            .SetProperty(u => u.TwoFactorEnabled, false).SetProperty(u => u.IsAdministrator, false)
            .SetProperty(u => u.CurrentOrganisationId, (int?)null)
            .SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N"))
            .SetProperty(u => u.LockoutEnabled, true).SetProperty(u => u.LockoutEnd, DateTimeOffset.MaxValue), ct);
        await transaction.CommitAsync(ct);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string? Date(DateTime? d) => d?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Bool(bool b) => b ? "oui" : "non";

    private static string Csv(string? value)
    {
        var v = value ?? "";
        // A leading =, +, - or @ would run as a formula in a spreadsheet.
        if (v.Length > 0 && "=+-@".Contains(v[0], StringComparison.Ordinal))
        {
            v = "'" + v;
        }

        return v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }
}
