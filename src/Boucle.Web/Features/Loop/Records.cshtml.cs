using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Loop;

public sealed record TransferRow(int Id, DateOnly Date, int FromId, string From, int ToId, string To, double MassKg, bool Weighed, BiowasteStream Stream, double? DistanceKm, bool GiverConfirmed, bool TakerConfirmed, bool ByFacilitator);

public sealed record OutputRow(int Id, string Site, DateOnly Start, DateOnly End, double InputT, TreatmentProduct Product, double OutputT, ProductStandard Standard, string? Analysis);

public sealed record DeliveryRow(int Id, DateOnly Date, string From, string To, TreatmentProduct Product, double MassT, double AreaHa, string? Crop)
{
    public double Dose => AreaHa > 0 ? MassT / AreaHa : 0;
}

/// The flows a person may record: their organisations' transfers, outputs and deliveries (the whole
/// territory for its facilitators), with CSV import and export.
[Authorize]
public sealed class RecordsModel(AppDbContext db, CurrentActor actor, LoopWriter writer, LoopCsv csv) : PageModel
{
    [TempData] public string? Message { get; set; }

    public ActorInfo Me { get; private set; } = ActorInfo.Anonymous;
    public bool WholeTerritory { get; private set; }
    public IReadOnlyList<TransferRow> Transfers { get; private set; } = [];
    public IReadOnlyList<OutputRow> Outputs { get; private set; } = [];
    public IReadOnlyList<DeliveryRow> Deliveries { get; private set; } = [];
    public IReadOnlyList<ImportError> ImportErrors { get; private set; } = [];
    public string? ImportKind { get; private set; }
    public IReadOnlyList<OrganisationOption> MyCanteens { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostConfirmAsync(int transferId, CancellationToken ct)
    {
        Me = await actor.GetAsync(ct);
        var t = await db.Set<BiowasteTransfer>().SingleOrDefaultAsync(x => x.Id == transferId, ct);
        if (t is null)
        {
            return NotFound();
        }

        if (!Me.IsMemberOf(t.FromOrganisationId) && !Me.IsMemberOf(t.ToOrganisationId))
        {
            return Forbid();
        }

        Message = await writer.ConfirmTransferAsync(t, Me, ct) ? "Transfert confirmé : il compte désormais dans les chiffres dès que les deux structures l'ont confirmé." : "Ce transfert était déjà confirmé de votre côté.";
        return Redirect("/boucle/saisie");
    }

    public async Task<IActionResult> OnPostImportAsync(string? kind, IFormFile? file, CancellationToken ct)
    {
        Me = await actor.GetAsync(ct);
        ImportKind = kind;
        if (kind is not ("transferts" or "livraisons"))
        {
            ModelState.AddModelError("kind", "Choisissez ce que contient le fichier.");
        }

        if (file is not { Length: > 0 })
        {
            ModelState.AddModelError("file", "Choisissez un fichier CSV.");
        }
        else if (file.Length > 5_000_000)
        {
            ModelState.AddModelError("file", "Le fichier dépasse 5 Mo.");
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }

        var territory = await LoopScope.TerritoryAsync(db, Me, ct);
        await using var stream = file!.OpenReadStream();
        var result = kind == "transferts" ? await csv.ImportTransfersAsync(territory, Me, stream, ct) : await csv.ImportDeliveriesAsync(territory, Me, stream, ct);
        if (!result.Ok)
        {
            ImportErrors = result.Errors;
            await LoadAsync(ct);
            return Page();
        }

        Message = $"{result.Imported} ligne{(result.Imported > 1 ? "s" : "")} importée{(result.Imported > 1 ? "s" : "")}.";
        return Redirect("/boucle/saisie");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Me = await actor.GetAsync(ct);
        var territory = await LoopScope.TerritoryAsync(db, Me, ct);
        WholeTerritory = Me.Facilitates(territory);
        var mine = Me.Memberships.Select(m => m.OrganisationId).ToList();
        var whole = WholeTerritory;
        var names = await db.Organisations.AsNoTracking().Where(o => o.TerritoryId == territory).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var ids = names.Keys.ToList();
        string N(int id) => names.GetValueOrDefault(id) ?? $"#{id}";

        var transfers = await db.Set<BiowasteTransfer>().AsNoTracking()
            .Where(t => t.TerritoryId == territory && (whole || mine.Contains(t.FromOrganisationId) || mine.Contains(t.ToOrganisationId)))
            .OrderByDescending(t => t.Date).ThenByDescending(t => t.Id).Take(60).ToListAsync(ct);
        var exchangeIds = transfers.Where(t => t.ExchangeId is not null).Select(t => t.ExchangeId!.Value).ToList();
        var exchanges = await db.Exchanges.AsNoTracking().Where(e => exchangeIds.Contains(e.Id))
            .Select(e => new { e.Id, Giver = e.GiverConfirmedAt != null, Taker = e.TakerConfirmedAt != null, e.RecordedByFacilitator }).ToDictionaryAsync(e => e.Id, ct);
        Transfers = [.. transfers.Select(t =>
        {
            var e = t.ExchangeId is { } id ? exchanges.GetValueOrDefault(id) : null;
            return new TransferRow(t.Id, t.Date, t.FromOrganisationId, N(t.FromOrganisationId), t.ToOrganisationId, N(t.ToOrganisationId), t.MassKg, t.Weighed, t.Stream, t.DistanceKm,
                e?.Giver ?? false, e?.Taker ?? false, e?.RecordedByFacilitator ?? false);
        })];

        var outputs = await db.Set<TreatmentOutput>().AsNoTracking()
            .Where(o => ids.Contains(o.SiteOrganisationId) && (whole || mine.Contains(o.SiteOrganisationId)))
            .OrderByDescending(o => o.PeriodStart).Take(30).ToListAsync(ct);
        Outputs = [.. outputs.Select(o => new OutputRow(o.Id, N(o.SiteOrganisationId), o.PeriodStart, o.PeriodEnd, o.InputT, o.Product, o.OutputT, o.Standard, o.AnalysisReference))];

        var deliveries = await db.Set<FarmDelivery>().AsNoTracking()
            .Where(d => ids.Contains(d.FromOrganisationId) && (whole || mine.Contains(d.FromOrganisationId) || mine.Contains(d.ToOrganisationId)))
            .OrderByDescending(d => d.Date).ThenByDescending(d => d.Id).Take(60).ToListAsync(ct);
        Deliveries = [.. deliveries.Select(d => new DeliveryRow(d.Id, d.Date, N(d.FromOrganisationId), N(d.ToOrganisationId), d.Product, d.MassT, d.AreaHa, d.Crop))];

        var canteens = await db.Set<CanteenProfile>().AsNoTracking()
            .Where(p => ids.Contains(p.OrganisationId) && (whole || mine.Contains(p.OrganisationId)))
            .Select(p => p.OrganisationId).ToListAsync(ct);
        MyCanteens = [.. canteens.Select(id => new OrganisationOption(id, N(id))).OrderBy(x => x.Name)];
    }

    public bool CanConfirm(TransferRow t) =>
        (Me.IsMemberOf(t.FromId) && !t.GiverConfirmed) || (Me.IsMemberOf(t.ToId) && !t.TakerConfirmed);

    public static string Status(TransferRow t) =>
        t.ByFacilitator ? "enregistré par l'animation" : t.GiverConfirmed && t.TakerConfirmed ? "confirmé par les deux" : t.GiverConfirmed ? "en attente du site" : "en attente du producteur";
}
