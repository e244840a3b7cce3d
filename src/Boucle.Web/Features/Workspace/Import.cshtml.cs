using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Workspace;

/// Upload a CSV, read the preview, then import it all at once. The uploaded file waits in the data
/// directory between the two steps, under a random name that only this form knows.
[Authorize]
public sealed class ImportModel(AppDbContext db, CurrentActor actor, OrganisationImporter importer, IOptions<BoucleOptions> options, TimeProvider time) : PageModel
{
    public IReadOnlyList<(int Id, string Name)> Territories { get; private set; } = [];
    [BindProperty] public int TerritoryId { get; set; }
    [BindProperty] public IFormFile? Csv { get; set; }
    [BindProperty] public string? Upload { get; set; }
    [BindProperty] public string? FileName { get; set; }
    public ImportPlan? Plan { get; private set; }
    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(int? territoire, CancellationToken ct)
    {
        Territories = await WorkspaceAccess.TerritoriesAsync(db, actor, ct);
        if (Territories.Count == 0)
        {
            return Forbid();
        }

        TerritoryId = territoire is { } t && Territories.Any(x => x.Id == t) ? t : Territories[0].Id;
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        Territories = await WorkspaceAccess.TerritoriesAsync(db, actor, ct);
        if (!Territories.Any(t => t.Id == TerritoryId))
        {
            return Territories.Count == 0 ? Forbid() : NotFound();
        }

        if (Csv is null || Csv.Length == 0)
        {
            ModelState.AddModelError(nameof(Csv), "Choisissez un fichier CSV.");
            return Page();
        }

        if (Csv.Length > OrganisationImporter.MaxBytes)
        {
            ModelState.AddModelError(nameof(Csv), "Le fichier dépasse 5 Mo : découpez-le en plusieurs imports.");
            return Page();
        }

        using var buffer = new MemoryStream();
        await Csv.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        FileName = Path.GetFileName(Csv.FileName);
        Plan = await importer.PlanAsync(bytes, TerritoryId, ct);
        if (Plan.CanApply)
        {
            Upload = Guid.NewGuid().ToString("N");
            var folder = Folder();
            Directory.CreateDirectory(folder);
            foreach (var old in new DirectoryInfo(folder).GetFiles().Where(f => f.LastWriteTimeUtc < time.GetUtcNow().UtcDateTime.AddDays(-1)))
            {
                old.Delete();
            }

            await System.IO.File.WriteAllBytesAsync(Path.Combine(folder, Upload), bytes, ct);
        }
        else
        {
            ModelState.AddModelError(nameof(Csv), $"{Plan.Errors.Count} erreur(s) : rien ne sera importé. Corrigez le fichier puis envoyez-le de nouveau.");
        }

        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(CancellationToken ct)
    {
        Territories = await WorkspaceAccess.TerritoriesAsync(db, actor, ct);
        if (!Territories.Any(t => t.Id == TerritoryId))
        {
            return Territories.Count == 0 ? Forbid() : NotFound();
        }

        var path = Upload is { Length: 32 } && Upload.All(char.IsAsciiHexDigitLower) ? Path.Combine(Folder(), Upload) : null;
        if (path is null || !System.IO.File.Exists(path))
        {
            ModelState.AddModelError(nameof(Csv), "Cet aperçu a expiré : envoyez le fichier de nouveau.");
            return Page();
        }

        var me = await actor.GetAsync(ct);
        var bytes = await System.IO.File.ReadAllBytesAsync(path, ct);
        Plan = await importer.ImportAsync(bytes, TerritoryId, new Importer(me.UserId!, me.DisplayName ?? me.UserId!), FileName ?? "import.csv", ct);
        if (!Plan.CanApply)
        {
            // The database changed since the preview: the new errors are shown, nothing was written.
            ModelState.AddModelError(nameof(Csv), $"{Plan.Errors.Count} erreur(s) : rien n'a été importé.");
            return Page();
        }

        System.IO.File.Delete(path);
        Done = $"Import terminé : {Plan.Creates} structure(s) créée(s), {Plan.Updates} mise(s) à jour, {Plan.Unchanged} inchangée(s).";
        Upload = null;
        return Page();
    }

    private string Folder() => Path.Combine(options.Value.FullDataDir, "imports");
}
