using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Exchanges;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Synergies;

public sealed record StepRow(SynergyStage? From, SynergyStage To, DateTime At, string By, string? Note);

/// One synergy: where it stands, its history, its exchanges; parties and facilitators move it from here.
[Authorize]
public sealed class DetailsModel(AppDbContext db, CurrentActor actor, SynergyFunnel funnel) : PageModel
{
    public SynergyRow Synergy { get; private set; } = null!;
    public IReadOnlyList<StepRow> Steps { get; private set; } = [];
    public IReadOnlyList<ExchangeRow> Exchanges { get; private set; } = [];
    public MoveFormView Move { get; private set; } = null!;
    public SynergyAccess Access { get; private set; }
    [TempData] public string? Flash { get; set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) =>
        await LoadAsync(id, null, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostMoveAsync(int id, int version, string? to, string? note, string? returnUrl, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        MoveResult result;
        if (!Enum.TryParse<SynergyStage>(to, out var stage) || !Enum.IsDefined(stage))
        {
            result = new MoveResult(false, "to", "Choisissez une étape.");
        }
        else
        {
            result = await funnel.MoveAsync(me, id, version, stage, note, ct);
        }

        if (result.Done)
        {
            Flash = $"Synergie passée à l'étape « {SynergyFunnel.Label(stage)} ».";
            return Redirect(Shared.ReturnAddress.Local(returnUrl) ?? $"/synergies/{id}");
        }

        if (!await LoadAsync(id, result, ct))
        {
            return NotFound();
        }

        Move = Move with { Note = note };
        if (result.Conflict)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
        }

        return Page();
    }

    private async Task<bool> LoadAsync(int id, MoveResult? failed, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var row = await SynergyQueries.Rows(db, s => s.Id == id).SingleOrDefaultAsync(ct);
        var entity = row is null ? null : await db.Set<Synergy>().AsNoTracking().SingleAsync(s => s.Id == id, ct);
        if (row is null || SynergyFunnel.Access(me, entity!) == SynergyAccess.None)
        {
            return false;
        }

        Synergy = row;
        Access = SynergyFunnel.Access(me, entity!);
        Steps = await (from s in db.Set<SynergyStep>().AsNoTracking()
                       join u in db.Users on s.ByUserId equals u.Id into users
                       from u in users.DefaultIfEmpty()
                       where s.SynergyId == id
                       orderby s.At, s.Id
                       select new StepRow(s.FromStage, s.ToStage, s.At, u == null ? "?" : u.DisplayName ?? u.Email ?? "?", s.Note)).ToListAsync(ct);
        Exchanges = [.. (await ExchangeQueries.Rows(db, x => x.SynergyId == id && x.SupersededById == null).ToListAsync(ct)).OrderByDescending(x => x.Date)];
        Message = failed is { Field: null } ? failed.Error : Flash;
        Move = new MoveFormView(row, $"/synergies/{id}", failed?.Field, failed?.Field is null ? null : failed.Error);
        return true;
    }
}
