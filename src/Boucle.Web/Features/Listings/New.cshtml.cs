using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Listings;

[Authorize]
public sealed class NewModel(AppDbContext db, CurrentActor actor, ListingWriter writer, CategoryCatalogue catalogue, PhotoStore photos, Synergies.SynergyDigest digest) : PageModel
{
    [BindProperty] public ListingForm Input { get; set; } = new();
    [BindProperty] public List<IFormFile?> PhotoFiles { get; set; } = [];
    [BindProperty] public List<string?> PhotoAlts { get; set; } = [];
    public string OrganisationName { get; private set; } = "";
    public IReadOnlyList<Category> Categories { get; private set; } = [];
    public ListingFormView FormView => new(Input, Categories);

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

        var uploads = new List<(IFormFile File, string Alt)>();
        for (var i = 0; i < Math.Min(PhotoFiles.Count, PhotoStore.MaxPhotos); i++)
        {
            if (PhotoFiles[i] is not { Length: > 0 } file)
            {
                continue;
            }

            var alt = PhotoAlts.ElementAtOrDefault(i)?.Trim();
            if (string.IsNullOrEmpty(alt))
            {
                ModelState.AddModelError($"PhotoAlts[{i}]", "Décrivez la photo en quelques mots (texte alternatif).");
            }

            uploads.Add((file, alt ?? ""));
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(me, ct);
            return Page();
        }

        // Every photo is decoded before anything is written: one bad file refuses the whole form.
        var stored = new List<(StoredPhoto Photo, string Alt)>();
        for (var i = 0; i < uploads.Count; i++)
        {
            var (photo, error) = await photos.SaveAsync(uploads[i].File, ct);
            if (photo is null)
            {
                ModelState.AddModelError($"PhotoFiles[{PhotoFiles.IndexOf(uploads[i].File)}]", error!);
                continue;
            }

            stored.Add((photo, uploads[i].Alt));
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(me, ct);
            return Page();
        }

        var organisation = await db.Organisations.SingleAsync(o => o.Id == me.Current.OrganisationId, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var listing = await writer.ApplyAsync(null, organisation, input, publish ? ListingStatus.Published : ListingStatus.Draft, ct);
        for (var i = 0; i < stored.Count; i++)
        {
            db.ListingPhotos.Add(new ListingPhoto { ListingId = listing.Id, FileName = stored[i].Photo.FileName, AltText = stored[i].Alt, Width = stored[i].Photo.Width, Height = stored[i].Photo.Height, SortOrder = i });
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (listing.Status == ListingStatus.Published)
        {
            await digest.NotifyAsync(listing.Id, $"{Request.Scheme}://{Request.Host}", ct);
        }

        return Redirect($"/annonces/{listing.Id}");
    }

    private async Task LoadAsync(ActorInfo me, CancellationToken ct)
    {
        OrganisationName = me.Current!.Name;
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Code).ToListAsync(ct);
    }
}

/// What the shared fields partial needs: the form and the category choices.
public sealed record ListingFormView(ListingForm Input, IReadOnlyList<Category> Categories);

/// The form as typed: numbers stay text until parsed, so "12,5" and "12.5" both work.
public sealed class ListingForm
{
    public static ListingForm From(Listing l) => new()
    {
        Type = l.Type.ToString(),
        Title = l.Title,
        Description = l.Description,
        Quantity = l.Quantity?.ToString("0.###", CultureInfo.GetCultureInfo("fr-FR")),
        Unit = l.Unit?.ToString(),
        Frequency = l.Frequency.ToString(),
        PriceMode = l.PriceMode.ToString(),
        PriceEur = l.PriceEur?.ToString("0.##", CultureInfo.GetCultureInfo("fr-FR")),
        CategoryCode = l.CategoryCode,
        WasteCode = l.WasteCode,
        AvailableFrom = l.AvailableFrom,
        AvailableUntil = l.AvailableUntil,
        ApproximateLocation = l.ApproximateLocation,
    };

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
