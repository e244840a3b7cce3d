using System.Text;
using Boucle.Web.Data;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Reference;
using Microsoft.EntityFrameworkCore;
using nietras.SeparatedValues;

namespace Boucle.Web.Features.Workspace;

public enum ImportFormat
{
    /// Boucle's own template (`nom`, `siret`, `type`, `naf`, `adresse`, `code_postal`, `code_commune`, ...).
    Boucle,

    /// INSEE's SIRENE establishments file (StockEtablissement) or an extract of it, with INSEE's column names.
    Sirene,
}

public enum ImportAction
{
    Create,
    Update,
    Unchanged,
}

public sealed record ImportProblem(int Line, string Message);

/// One row of the file once checked: what it will do, and to which organisation.
public sealed record ImportLine(int Line, ImportAction Action, int? ExistingId, string Name, string? Siret, string? NafCode, OrganisationKind Kind,
    string? Address, string? PostalCode, Commune Commune, string? Description, string? Website, IReadOnlyList<string> Changes);

public sealed record ImportPlan(ImportFormat? Format, IReadOnlyList<ImportLine> Lines, IReadOnlyList<ImportProblem> Errors, IReadOnlyList<ImportProblem> Ignored)
{
    public bool CanApply => Errors.Count == 0 && Lines.Count > 0;
    public int Creates => Lines.Count(l => l.Action == ImportAction.Create);
    public int Updates => Lines.Count(l => l.Action == ImportAction.Update);
    public int Unchanged => Lines.Count(l => l.Action == ImportAction.Unchanged);

    public static ImportPlan Failed(int line, string message) => new(null, [], [new ImportProblem(line, message)], []);
}

/// Who imports: a signed-in facilitator, or the command line.
public sealed record Importer(string UserId, string Name);

/// Reads a CSV of organisations (Boucle's template or a SIRENE extract), says what it would do, and does it
/// all at once or not at all.
public sealed class OrganisationImporter(AppDbContext db, ReferenceData reference, TimeProvider time)
{
    public const int MaxBytes = 5 * 1024 * 1024;
    public const int MaxRows = 10_000;

    public const string Template =
        "nom;siret;type;naf;adresse;code_postal;code_commune;description;site_web\n" +
        "Menuiserie exemple;73282932000074;company;16.23Z;12 rue des Tanneries;24100;24037;Chutes de chêne et de pin;https://exemple.fr\n";

    /// The template's columns, with what each one takes (shown on the import page).
    public static readonly IReadOnlyList<(string Column, string Meaning)> TemplateColumns =
    [
        ("nom", "Nom de la structure (obligatoire, 2 à 200 caractères)."),
        ("siret", "14 chiffres (clé de contrôle vérifiée) ; facultatif. Une structure du territoire qui a déjà ce SIRET est mise à jour."),
        ("type", "company, public_body, association, farm, canteen, composting_site, digester, collector ou other ; company si vide."),
        ("naf", "Code NAF rév. 2 de la sous-classe, par exemple 16.23Z ou 1623Z ; facultatif."),
        ("adresse", "Numéro et voie ; facultatif."),
        ("code_postal", "Code postal ; sert à trouver la commune quand code_commune est vide et qu'il n'en désigne qu'une."),
        ("code_commune", "Code INSEE de la commune (5 caractères) : c'est lui qui situe la structure."),
        ("description", "Présentation, 2 000 caractères au plus ; facultatif."),
        ("site_web", "Adresse commençant par https:// ; facultatif."),
    ];

    // The SIRENE columns read; any other column of INSEE's file is ignored.
    private static readonly string[] SireneMarkers = ["codeCommuneEtablissement", "activitePrincipaleEtablissement", "denominationUsuelleEtablissement", "enseigne1Etablissement"];

    /// Checks the file and the database; writes nothing.
    public async Task<ImportPlan> PlanAsync(byte[] bytes, int territoryId, CancellationToken ct)
    {
        if (bytes.Length == 0)
        {
            return ImportPlan.Failed(1, "Le fichier est vide.");
        }

        if (bytes.Length > MaxBytes)
        {
            return ImportPlan.Failed(1, "Le fichier dépasse 5 Mo : découpez-le en plusieurs imports.");
        }

        string text;
        try
        {
            // UTF-8, with or without BOM; a file saved as Latin-1 is refused rather than imported with broken accents.
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return ImportPlan.Failed(1, "Le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 » depuis votre tableur.");
        }

        text = text.TrimStart('\uFEFF');
        var rows = new List<(int Line, Dictionary<string, string> Cells)>();
        string[] header;
        try
        {
            using var reader = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromText(text);
            header = [.. reader.Header.ColNames.Select(n => n.Trim())];
            foreach (var row in reader)
            {
                var cells = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < header.Length && i < row.ColCount; i++)
                {
                    cells.TryAdd(header[i], row[i].ToString().Trim());
                }

                if (cells.Values.All(string.IsNullOrEmpty))
                {
                    continue;
                }

                rows.Add((row.LineNumberFrom, cells));
                if (rows.Count > MaxRows)
                {
                    return ImportPlan.Failed(row.LineNumberFrom, $"Plus de {MaxRows} lignes : découpez le fichier en plusieurs imports.");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or FormatException)
        {
            return ImportPlan.Failed(1, $"Le fichier n'est pas un CSV lisible : {e.Message}");
        }

        var columns = new HashSet<string>(header, StringComparer.OrdinalIgnoreCase);
        ImportFormat format;
        if (columns.Contains("siret") && SireneMarkers.Any(columns.Contains))
        {
            format = ImportFormat.Sirene;
            if (!columns.Contains("codeCommuneEtablissement"))
            {
                return ImportPlan.Failed(1, "Extrait SIRENE sans la colonne codeCommuneEtablissement : elle est nécessaire pour situer les établissements.");
            }
        }
        else if (columns.Contains("nom"))
        {
            format = ImportFormat.Boucle;
            if (!columns.Contains("code_commune") && !columns.Contains("code_postal"))
            {
                return ImportPlan.Failed(1, "Il manque la colonne code_commune (ou code_postal) : voir le modèle.");
            }
        }
        else
        {
            return ImportPlan.Failed(1, "En-tête non reconnu : utilisez le modèle de Boucle (colonne « nom »...) ou un extrait SIRENE des établissements (colonnes « siret », « codeCommuneEtablissement »...).");
        }

        if (rows.Count == 0)
        {
            return new ImportPlan(format, [], [new ImportProblem(1, "Le fichier ne contient aucune ligne après l'en-tête.")], []);
        }

        var perimeter = (await db.TerritoryCommunes.AsNoTracking().Where(c => c.TerritoryId == territoryId).Select(c => c.CommuneInsee).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var sirets = rows.Select(r => Siret.Normalise(Cell(r.Cells, "siret"))).Where(s => s is not null).Distinct().ToList();
        var existing = sirets.Count == 0 ? [] : await db.Organisations.AsNoTracking().Where(o => o.Siret != null && sirets.Contains(o.Siret)).ToListAsync(ct);
        var errors = new List<ImportProblem>();
        var ignored = new List<ImportProblem>();
        var lines = new List<ImportLine>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, cells) in rows)
        {
            var rowErrors = new List<string>();
            var parsed = format == ImportFormat.Sirene ? ReadSirene(cells, rowErrors) : ReadTemplate(cells, rowErrors);
            if (parsed.Siret is { } siret)
            {
                if (seen.TryGetValue(siret, out var first))
                {
                    rowErrors.Add($"SIRET {siret} déjà présent ligne {first}.");
                }
                else
                {
                    seen[siret] = line;
                }
            }

            if (rowErrors.Count > 0 || parsed.Commune is null)
            {
                errors.AddRange(rowErrors.Select(m => new ImportProblem(line, m)));
                continue;
            }

            if (perimeter.Count > 0 && !perimeter.Contains(parsed.Commune.Insee))
            {
                ignored.Add(new ImportProblem(line, $"{parsed.Name} : {parsed.Commune.Name} ({parsed.Commune.Insee}) est hors du périmètre du territoire."));
                continue;
            }

            var match = parsed.Siret is null ? null : existing.FirstOrDefault(o => o.Siret == parsed.Siret);
            if (match is not null && match.TerritoryId != territoryId)
            {
                errors.Add(new ImportProblem(line, $"Le SIRET {parsed.Siret} est déjà celui d'une structure d'un autre territoire."));
                continue;
            }

            var kind = parsed.Kind ?? match?.Kind ?? KindFromNaf(parsed.Naf);
            var changes = match is null ? [] : Changes(match, parsed, kind);
            var action = match is null ? ImportAction.Create : changes.Count > 0 ? ImportAction.Update : ImportAction.Unchanged;
            lines.Add(new ImportLine(line, action, match?.Id, parsed.Name!, parsed.Siret, parsed.Naf, kind, parsed.Address,
                parsed.PostalCode ?? parsed.Commune.PostalCodes.FirstOrDefault(), parsed.Commune, parsed.Description, parsed.Website, changes));
        }

        return new ImportPlan(format, lines, errors, ignored);
    }

    /// Plans again (the database may have changed since the preview) and, only if no row is wrong,
    /// writes every row in one transaction with one line in the journal.
    public async Task<ImportPlan> ImportAsync(byte[] bytes, int territoryId, Importer importer, string fileName, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var plan = await PlanAsync(bytes, territoryId, ct);
            if (!plan.CanApply)
            {
                return plan;
            }

            var now = time.GetUtcNow().UtcDateTime;
            var ids = plan.Lines.Where(l => l.ExistingId is not null).Select(l => l.ExistingId!.Value).ToList();
            var tracked = await db.Organisations.Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
            foreach (var line in plan.Lines.Where(l => l.Action != ImportAction.Unchanged))
            {
                var organisation = line.ExistingId is { } id ? tracked[id] : new Organisation { TerritoryId = territoryId, Name = line.Name, CreatedAt = now };
                organisation.Name = line.Name;
                organisation.Siret = line.Siret;
                organisation.NafCode = line.NafCode ?? organisation.NafCode;
                organisation.Kind = line.Kind;
                organisation.Address = line.Address ?? organisation.Address;
                organisation.PostalCode = line.PostalCode;
                organisation.CommuneInsee = line.Commune.Insee;
                organisation.CommuneName = line.Commune.Name;
                organisation.Latitude = line.Commune.Latitude;
                organisation.Longitude = line.Commune.Longitude;
                organisation.Description = line.Description ?? organisation.Description;
                organisation.Website = line.Website ?? organisation.Website;
                if (line.ExistingId is null)
                {
                    db.Organisations.Add(organisation);
                }
            }

            var territory = await db.Territories.AsNoTracking().Where(t => t.Id == territoryId).Select(t => t.Name).SingleAsync(ct);
            AuditLog.Add(db, time, importer.UserId, importer.Name, territoryId, WorkspaceAudit.Import, "territory", territoryId, territory,
                $"{fileName} ({(plan.Format == ImportFormat.Sirene ? "SIRENE" : "modèle Boucle")}) : {plan.Creates} créée(s), {plan.Updates} mise(s) à jour, {plan.Unchanged} inchangée(s), {plan.Ignored.Count} hors périmètre.");
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return plan;
        });
    }

    private sealed record Parsed(string? Name, string? Siret, string? Naf, OrganisationKind? Kind, string? Address, string? PostalCode, Commune? Commune, string? Description, string? Website);

    private Parsed ReadTemplate(Dictionary<string, string> cells, List<string> errors)
    {
        var name = Cell(cells, "nom");
        if (name is null || name.Length is < 2 or > 200)
        {
            errors.Add("nom : indiquez le nom de la structure (2 à 200 caractères).");
        }

        var siret = ReadSiret(cells, required: false, errors);
        OrganisationKind? kind = null;
        if (Cell(cells, "type") is { } type)
        {
            kind = OrganisationLabels.Parse(type);
            if (kind is null)
            {
                errors.Add($"type : « {type} » inconnu (company, public_body, association, farm, canteen, composting_site, digester, collector ou other).");
            }
        }

        var naf = ReadNaf(Cell(cells, "naf"), "naf", errors);
        var postal = Cell(cells, "code_postal");
        Commune? commune = null;
        if (Cell(cells, "code_commune") is { } insee)
        {
            commune = reference.Commune(insee);
            if (commune is null)
            {
                errors.Add($"code_commune : « {insee} » n'est pas un code INSEE de commune.");
            }
        }
        else if (postal is not null)
        {
            var found = reference.CommunesByPostalCode(postal);
            if (found.Count == 1)
            {
                commune = found[0];
            }
            else
            {
                errors.Add(found.Count == 0
                    ? $"code_postal : « {postal} » inconnu ; indiquez le code INSEE dans code_commune."
                    : $"code_postal : {postal} dessert {found.Count} communes ({string.Join(", ", found.Take(4).Select(c => $"{c.Name} {c.Insee}"))}) ; indiquez le code INSEE dans code_commune.");
            }
        }
        else
        {
            errors.Add("code_commune : indiquez le code INSEE de la commune.");
        }

        var description = Cell(cells, "description");
        if (description is { Length: > 2000 })
        {
            errors.Add("description : 2 000 caractères au plus.");
        }

        var website = Cell(cells, "site_web");
        if (website is not null && !(Uri.TryCreate(website, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            errors.Add($"site_web : « {website} » doit commencer par https://");
        }

        return new Parsed(name, siret, naf, kind, Cell(cells, "adresse"), postal, commune, description, website);
    }

    private Parsed ReadSirene(Dictionary<string, string> cells, List<string> errors)
    {
        var siret = ReadSiret(cells, required: true, errors);
        var name = Cell(cells, "denominationUsuelleEtablissement") ?? Cell(cells, "enseigne1Etablissement") ?? Cell(cells, "denominationUniteLegale");
        if (name is null)
        {
            errors.Add("denominationUsuelleEtablissement / enseigne1Etablissement : l'établissement n'a pas de nom.");
        }
        else if (name.Length > 200)
        {
            name = name[..200];
        }

        var naf = ReadNaf(Cell(cells, "activitePrincipaleEtablissement"), "activitePrincipaleEtablissement", errors);
        Commune? commune = null;
        if (Cell(cells, "codeCommuneEtablissement") is { } insee)
        {
            commune = reference.Commune(MunicipalCode(insee));
            if (commune is null)
            {
                errors.Add($"codeCommuneEtablissement : « {insee} » n'est pas un code INSEE de commune.");
            }
        }
        else
        {
            errors.Add("codeCommuneEtablissement : vide, l'établissement ne peut pas être situé.");
        }

        var street = string.Join(' ', new[]
        {
            Cell(cells, "numeroVoieEtablissement"),
            Cell(cells, "indiceRepetitionEtablissement"),
            StreetType(Cell(cells, "typeVoieEtablissement")),
            Cell(cells, "libelleVoieEtablissement"),
        }.Where(p => p is not null));
        var complement = Cell(cells, "complementAdresseEtablissement");
        var address = string.Join(", ", new[] { complement, street.Length == 0 ? null : street }.Where(p => p is not null));
        return new Parsed(name, siret, naf, null, address.Length == 0 ? null : address, Cell(cells, "codePostalEtablissement"), commune, null, null);
    }

    private static string? ReadSiret(Dictionary<string, string> cells, bool required, List<string> errors)
    {
        var siret = Siret.Normalise(Cell(cells, "siret"));
        if (siret is null)
        {
            if (required)
            {
                errors.Add("siret : vide.");
            }

            return null;
        }

        if (!Siret.IsValid(siret))
        {
            errors.Add($"siret : « {siret} » n'est pas un SIRET valide (14 chiffres et une clé de contrôle).");
            return null;
        }

        return siret;
    }

    private string? ReadNaf(string? code, string column, List<string> errors)
    {
        if (code is null)
        {
            return null;
        }

        if (reference.Naf(code) is not { Level: "subclass" } naf)
        {
            errors.Add($"{column} : « {code} » n'est pas un code NAF rév. 2 (par exemple 16.23Z).");
            return null;
        }

        return naf.Code;
    }

    private static List<string> Changes(Organisation current, Parsed row, OrganisationKind kind)
    {
        var changes = new List<string>();
        if (current.Name != row.Name)
        {
            changes.Add("nom");
        }

        if (row.Naf is not null && current.NafCode != row.Naf)
        {
            changes.Add("NAF");
        }

        if (current.Kind != kind)
        {
            changes.Add("type");
        }

        if (row.Address is not null && current.Address != row.Address)
        {
            changes.Add("adresse");
        }

        if (current.CommuneInsee != row.Commune!.Insee)
        {
            changes.Add("commune");
        }

        if (row.Description is not null && current.Description != row.Description)
        {
            changes.Add("description");
        }

        if (row.Website is not null && current.Website != row.Website)
        {
            changes.Add("site web");
        }

        return changes;
    }

    /// What SIRENE does not say (the legal category is in the legal-units file), guessed from the activity.
    public static OrganisationKind KindFromNaf(string? naf) => naf switch
    {
        null => OrganisationKind.Company,
        "56.29A" or "56.29B" => OrganisationKind.Canteen,
        "35.21Z" => OrganisationKind.Digester,
        _ when naf.StartsWith("01.", StringComparison.Ordinal) || naf.StartsWith("02.", StringComparison.Ordinal) || naf.StartsWith("03.", StringComparison.Ordinal) => OrganisationKind.Farm,
        _ when naf.StartsWith("38.", StringComparison.Ordinal) || naf.StartsWith("46.77", StringComparison.Ordinal) => OrganisationKind.Collector,
        _ when naf.StartsWith("84.", StringComparison.Ordinal) => OrganisationKind.PublicBody,
        _ when naf.StartsWith("94.", StringComparison.Ordinal) => OrganisationKind.Association,
        _ => OrganisationKind.Company,
    };

    // SIRENE locates Paris, Lyon and Marseille establishments by arrondissement; the commune data has the communes.
    private static string MunicipalCode(string insee) => insee switch
    {
        _ when insee.StartsWith("751", StringComparison.Ordinal) && insee.Length == 5 => "75056",
        _ when insee.StartsWith("6938", StringComparison.Ordinal) && insee.Length == 5 => "69123",
        _ when insee.StartsWith("132", StringComparison.Ordinal) && insee.Length == 5 && string.CompareOrdinal(insee, "13201") >= 0 && string.CompareOrdinal(insee, "13216") <= 0 => "13055",
        _ => insee,
    };

    // INSEE abbreviates street types (its "dessin de fichier" lists them); the common ones are spelt out.
    private static string? StreetType(string? code) => code?.ToUpperInvariant() switch
    {
        null => null,
        "AV" => "avenue",
        "BD" => "boulevard",
        "CHE" => "chemin",
        "ALL" => "allée",
        "IMP" => "impasse",
        "PL" => "place",
        "RTE" => "route",
        "RUE" => "rue",
        "QUA" => "quartier",
        "LD" => "lieu-dit",
        "ZA" => "zone artisanale",
        "ZI" => "zone industrielle",
        "ZAC" => "ZAC",
        "CRS" => "cours",
        "FG" => "faubourg",
        "HAM" => "hameau",
        "QU" => "quai",
        _ => code,
    };

    private static string? Cell(Dictionary<string, string> cells, string name) =>
        cells.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
