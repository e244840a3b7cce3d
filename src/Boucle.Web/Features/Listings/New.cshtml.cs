using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Listings;

[Authorize]
public sealed class NewModel(AppDbContext db, CurrentActor actor, ListingWriter writer, CategoryCatalogue catalogue) : PageModel
{
    [BindProperty] public ListingForm Input { get; set; } = new();
    public string OrganisationName { get; private set; } = "";
    public IReadOnlyList<Category> Categories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        if (me.Current is null)
        {
            return Redirect("/structures/nouvelle?pourPublier=1");
        }

        await LoadAsync(me, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(bool publish, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        if (me.Current is null)
        {
            return Redirect("/structures/nouvelle?pourPublier=1");
        }

        var input = Input.ToInput(ModelState);
        if (string.IsNullOrWhiteSpace(input.CategoryCode))
        {
            input = input with { CategoryCode = catalogue.Suggest(input.Title, input.Description)?.Code };
        }

        foreach (var (key, messages) in await writer.ValidateAsync(input, ct))
        {
            foreach (var m in messages)
            {
                ModelState.AddModelError($"Input.{key}", m);
            }
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(me, ct);
            return Page();
        }

        var organisation = await db.Organisations.SingleAsync(o => o.Id == me.Current.OrganisationId, ct);
        var listing = await writer.ApplyAsync(null, organisation, input, publish ? ListingStatus.Published : ListingStatus.Draft, ct);
        return Redirect($"/annonces/{listing.Id}");
    }

    private async Task LoadAsync(ActorInfo me, CancellationToken ct)
    {
        OrganisationName = me.Current!.Name;
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Code).ToListAsync(ct);
    }
}

/// The form as typed: numbers stay text until parsed, so "12,5" and "12.5" both work.
public sealed class ListingForm
{
    public string? Type { get; set; } = "Offer";
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Quantity { get; set; }
    public string? Unit { get; set; }
    public string? Frequency { get; set; } = nameof(Listings.Frequency.Once);
    public string? PriceMode { get; set; } = nameof(Listings.PriceMode.Free);
    public string? PriceEur { get; set; }
    public string? CategoryCode { get; set; }
    public string? WasteCode { get; set; }
    public DateOnly? AvailableFrom { get; set; }
    public DateOnly? AvailableUntil { get; set; }
    public bool ApproximateLocation { get; set; }

    public ListingInput ToInput(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState)
    {
        double? Number(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var normalised = text.Trim().Replace(" ", "", StringComparison.Ordinal).Replace('\u00a0'.ToString(), "", StringComparison.Ordinal).Replace(',', '.');
            if (double.TryParse(normalised, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                return value;
            }

            modelState.AddModelError($"Input.{field}", "Saisissez un nombre, par exemple 12,5.");
            return null;
        }

        return new ListingInput
        {
            Type = Enum.TryParse<ListingType>(Type, out var t) && Enum.IsDefined(t) ? t : null,
            Title = Title,
            Description = Description,
            Quantity = Number(Quantity, nameof(Quantity)),
            Unit = Enum.TryParse<QuantityUnit>(Unit, out var u) && Enum.IsDefined(u) ? u : null,
            Frequency = Enum.TryParse<Frequency>(Frequency, out var f) && Enum.IsDefined(f) ? f : Listings.Frequency.Once,
            PriceMode = Enum.TryParse<PriceMode>(PriceMode, out var p) && Enum.IsDefined(p) ? p : Listings.PriceMode.Free,
            PriceEur = Number(PriceEur, nameof(PriceEur)),
            CategoryCode = CategoryCode,
            WasteCode = WasteCode,
            AvailableFrom = AvailableFrom,
            AvailableUntil = AvailableUntil,
            ApproximateLocation = ApproximateLocation,
        };
    }
}
