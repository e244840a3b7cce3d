using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Synergies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Workspace;

/// A facilitator corrects an organisation's public card for its members (often after a meeting); journalled.
[Authorize]
public sealed class EditOrganisationModel(AppDbContext db, CurrentActor actor, OrganisationWriter writer, AuditLog audit, ListingChanges changes) : PageModel
{
    [BindProperty] public OrganisationForm Input { get; set; } = new();
    public string Name { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await WorkspaceAccess.OrganisationAsync(db, actor, id, ct) is not { } o)
        {
            return NotFound();
        }

        Name = o.Name;
        Input = new OrganisationForm
        {
            Name = o.Name,
            Kind = o.Kind.ToString(),
            Siret = o.Siret,
            NafCode = o.NafCode,
            Address = o.Address,
            Commune = o.CommuneInsee,
            Description = o.Description,
            Website = o.Website,
            HazardousAuthorised = o.HazardousAuthorised,
            HazardousPermit = o.HazardousPermit,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (await WorkspaceAccess.OrganisationAsync(db, actor, id, ct, tracking: true) is not { } o)
        {
            return NotFound();
        }

        Name = o.Name;
        var input = new OrganisationInput
        {
            Name = Input.Name,
            Siret = Input.Siret,
            NafCode = Input.NafCode,
            Kind = Enum.TryParse<OrganisationKind>(Input.Kind, out var k) && Enum.IsDefined(k) ? k : null,
            Address = Input.Address,
            Commune = Input.Commune,
            Description = Input.Description,
            Website = Input.Website,
            HazardousAuthorised = Input.HazardousAuthorised,
            HazardousPermit = Input.HazardousPermit,
        };
        var (errors, commune, postal) = writer.Validate(input);
        foreach (var (key, messages) in errors)
        {
            foreach (var m in messages)
            {
                ModelState.AddModelError($"Input.{key}", m);
            }
        }

        if (!ModelState.IsValid || commune is null)
        {
            return Page();
        }

        var siret = Siret.Normalise(input.Siret);
        if (siret != o.Siret)
        {
            // A verified SIRET that changes is no longer verified.
            o.Verified = false;
            o.VerifiedAt = null;
        }

        o.Name = input.Name!.Trim();
        o.Siret = siret;
        o.NafCode = string.IsNullOrWhiteSpace(input.NafCode) ? null : Reference.ReferenceData.NormaliseNaf(input.NafCode);
        o.Kind = input.Kind!.Value;
        o.Address = input.Address?.Trim();
        o.PostalCode = postal;
        o.CommuneInsee = commune.Insee;
        o.CommuneName = commune.Name;
        o.Latitude = commune.Latitude;
        o.Longitude = commune.Longitude;
        o.Description = input.Description?.Trim();
        o.Website = input.Website?.Trim();
        o.HazardousAuthorised = input.HazardousAuthorised;
        o.HazardousPermit = input.HazardousAuthorised ? input.HazardousPermit?.Trim() : null;
        var changed = db.ChangeTracker.Entries<Organisation>().Where(e => e.Entity.Id == id)
            .SelectMany(e => e.Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name)).ToList();
        if (changed.Count > 0)
        {
            await audit.AddAsync(o.TerritoryId, WorkspaceAudit.OrganisationEdit, "organisation", id, o.Name, $"Champs : {string.Join(", ", changed)}", ct);
            await db.SaveChangesAsync(ct);
            changes.Bump();
        }

        return Redirect($"/animation/acteurs/{id}");
    }
}
