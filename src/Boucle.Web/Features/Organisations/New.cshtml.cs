using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Organisations;

[Authorize]
public sealed class NewModel(AppDbContext db, CurrentActor actor, OrganisationWriter writer) : PageModel
{
    [BindProperty] public OrganisationForm Input { get; set; } = new();
    [BindProperty(SupportsGet = true, Name = "pourPublier")] public bool ToPublish { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
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

        var territory = await TerritoryQueries.MainAsync(db, ct);
        if (territory is null)
        {
            ModelState.AddModelError(string.Empty, "Aucun territoire n'est encore ouvert sur cette instance.");
        }

        if (!ModelState.IsValid || commune is null || territory is null)
        {
            return Page();
        }

        var me = await actor.GetAsync(ct);
        var organisation = await writer.CreateAsync(input, commune, postal, territory.Id, me.UserId!, ct);
        return Redirect($"/structures/{organisation.Id}");
    }
}

public sealed class OrganisationForm
{
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Siret { get; set; }
    public string? NafCode { get; set; }
    public string? Address { get; set; }
    public string? Commune { get; set; }
    public string? Description { get; set; }
    public string? Website { get; set; }
    public bool HazardousAuthorised { get; set; }
    public string? HazardousPermit { get; set; }
}
