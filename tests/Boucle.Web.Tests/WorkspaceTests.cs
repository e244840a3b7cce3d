using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Moderation;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Territories;
using Boucle.Web.Features.Workspace;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Boucle.Web.Tests;

/// The facilitators' workspace: private notes stay private, the directory's filters, organisation imports
/// (page and command line) and the journal.
public abstract partial class WorkspaceTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    [Fact]
    public async Task A_member_never_sees_the_facilitators_notes_and_another_territorys_facilitator_sees_nothing()
    {
        var id = await OrganisationIdAsync("menuiserie-dupuy");
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var secret = $"Note confidentielle {Guid.NewGuid():N}";
        var meetingSecret = $"Le gérant envisage de vendre {Guid.NewGuid():N}";
        var profile = $"/animation/acteurs/{id}";

        // The facilitator writes a private note and a meeting with a follow-up.
        var note = await BoucleApp.PostFormAsync(facilitator, $"{profile}?handler=Note", new Dictionary<string, string> { ["NoteText"] = secret }, profile);
        Assert.Equal(HttpStatusCode.Redirect, note.StatusCode);
        var facilitatorId = await app.ScopedAsync(db => db.Users.Where(u => u.Email == DemoSeeder.FacilitatorEmail).Select(u => u.Id).SingleAsync());
        var meeting = await BoucleApp.PostFormAsync(facilitator, $"{profile}?handler=Meeting", new Dictionary<string, string>
        {
            ["Meeting.Date"] = "2026-11-20",
            ["Meeting.PeopleMet"] = "M. Dupuy, gérant",
            ["Meeting.Notes"] = meetingSecret,
            ["Meeting.Stakes"] = "Chutes de bois, palettes",
            ["Meeting.FollowUp"] = "Présenter la filière bois-énergie",
            ["Meeting.DueDate"] = "2026-12-15",
            ["Meeting.OwnerUserId"] = facilitatorId,
        }, profile);
        Assert.Equal(HttpStatusCode.Redirect, meeting.StatusCode);
        var page = await HtmlAsync(facilitator, profile);
        Assert.Contains(secret, page, StringComparison.Ordinal);
        Assert.Contains(meetingSecret, page, StringComparison.Ordinal);
        Assert.Contains("Présenter la filière bois-énergie, pour le 15 décembre 2026", page, StringComparison.Ordinal);
        Assert.Contains("chutes de bois", page, StringComparison.Ordinal);

        // A follow-up without a date or owner is refused next to its fields.
        var incomplete = await BoucleApp.PostFormAsync(facilitator, $"{profile}?handler=Meeting", new Dictionary<string, string>
        {
            ["Meeting.Date"] = "2026-11-21",
            ["Meeting.PeopleMet"] = "Mme Dupuy",
            ["Meeting.FollowUp"] = "Rappeler",
        }, profile);
        var incompleteHtml = WebUtility.HtmlDecode(await incomplete.Content.ReadAsStringAsync());
        Assert.Contains("Indiquez l'échéance", incompleteHtml, StringComparison.Ordinal);
        Assert.Contains("Choisissez qui s'en charge", incompleteHtml, StringComparison.Ordinal);
        Assert.Equal(1, await app.ScopedAsync(db => db.Set<Meeting>().CountAsync(m => m.OrganisationId == id)));

        // The organisation's own owner: no workspace page, and nothing of it on the public pages or the API.
        var owner = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(profile)).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await owner.GetAsync("/animation/acteurs")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await owner.GetAsync("/animation/import")).StatusCode);
        foreach (var url in new[] { $"/structures/{id}", $"/api/v1/organizations/{id}", "/mon-espace", $"/structures/{id}/membres" })
        {
            var body = WebUtility.HtmlDecode(await owner.GetStringAsync(url));
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain(meetingSecret, body, StringComparison.Ordinal);
        }

        var ownerNote = await owner.PostAsync($"{profile}?handler=Note", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["NoteText"] = "écrit par le membre",
            ["__RequestVerificationToken"] = await BoucleApp.AntiforgeryTokenAsync(owner, "/structures/nouvelle"),
        }));
        Assert.Equal(HttpStatusCode.NotFound, ownerNote.StatusCode);

        // Another territory's facilitator: not found, absent from the directory, cannot write.
        var other = await SecondTerritoryAsync();
        var stranger = await app.SignedInAsync(other.FacilitatorEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(profile)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/animation/acteurs?territoire={await MainTerritoryIdAsync()}")).StatusCode);
        var strangerDirectory = await HtmlAsync(stranger, "/animation/acteurs");
        Assert.DoesNotContain("Menuiserie Dupuy", strangerDirectory, StringComparison.Ordinal);
        Assert.Contains(other.OrganisationName, strangerDirectory, StringComparison.Ordinal);
        var strangerNote = await BoucleApp.PostFormAsync(stranger, $"{profile}?handler=Note", new Dictionary<string, string> { ["NoteText"] = "intrusion" }, "/animation/acteurs");
        Assert.Equal(HttpStatusCode.NotFound, strangerNote.StatusCode);
        Assert.False(await app.ScopedAsync(db => db.Set<ActorNote>().AnyAsync(n => n.Text == "intrusion" || n.Text == "écrit par le membre")));

        // The journal lists the facilitator's actions for administrators.
        var admin = await app.SignedInAsync(DemoSeeder.AdministratorEmail);
        var journal = await HtmlAsync(admin, "/admin/journal");
        Assert.Contains("Note privée ajoutée", journal, StringComparison.Ordinal);
        Assert.Contains("Rencontre consignée", journal, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, journal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_directory_filters_by_stake_kind_commune_section_and_activity()
    {
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var id = await OrganisationIdAsync("cuisine-centrale-bergerac");
        var tag = $"enjeu-{Guid.NewGuid():N}"[..20];
        var added = await BoucleApp.PostFormAsync(facilitator, $"/animation/acteurs/{id}?handler=Stakes", new Dictionary<string, string> { ["NewStakes"] = tag }, $"/animation/acteurs/{id}");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        var byStake = await HtmlAsync(facilitator, $"/animation/acteurs?enjeu={tag}");
        Assert.Contains("1 structure(s)", byStake, StringComparison.Ordinal);
        Assert.Contains("Cuisine centrale intercommunale du Bergeracois", byStake, StringComparison.Ordinal);

        // Kind, commune and NAF section narrow the same list: the central kitchen is a canteen in Bergerac (24037), section I.
        var combined = await HtmlAsync(facilitator, "/animation/acteurs?type=Canteen&commune=24037&section=I");
        Assert.Contains("Cuisine centrale intercommunale du Bergeracois", combined, StringComparison.Ordinal);
        Assert.DoesNotContain("EHPAD Les Tilleuls", combined, StringComparison.Ordinal);
        var farms = await HtmlAsync(facilitator, "/animation/acteurs?type=Farm");
        Assert.DoesNotContain("Cuisine centrale intercommunale du Bergeracois", farms, StringComparison.Ordinal);

        // Activity: an organisation with no listing, message or exchange is "sans activité".
        var quiet = await app.ScopedAsync(async db =>
        {
            var territory = await db.Territories.SingleAsync(t => t.Slug == DemoSeeder.TerritorySlug);
            var o = new Organisation { TerritoryId = territory.Id, Name = $"Structure silencieuse {Guid.NewGuid():N}"[..30], CommuneInsee = "24037", CommuneName = "Bergerac", CreatedAt = DateTime.UtcNow };
            db.Organisations.Add(o);
            await db.SaveChangesAsync();
            return o.Name;
        });
        Assert.Contains(quiet, await HtmlAsync(facilitator, "/animation/acteurs?activite=inactives&mois=12"), StringComparison.Ordinal);
        Assert.DoesNotContain(quiet, await HtmlAsync(facilitator, "/animation/acteurs?activite=actives&mois=12"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_import_shows_every_error_with_its_line_writes_nothing_then_creates_and_updates_by_siret()
    {
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var (a, b) = (ValidSiret("9100000000001"), ValidSiret("9100000000002"));
        var before = await OrganisationCountAsync();

        // Line 3: bad SIRET; line 4: unknown commune; line 5: same SIRET as line 2; line 6: 24100 serves Bergerac, Creysse,
        // Lembras and Saint-Laurent-des-Vignes, so the postal code alone does not say which. Line 2 alone is right.
        var wrong = $"nom;siret;type;naf;adresse;code_postal;code_commune\n" +
                    $"Recyclerie test;{a};association;38.32Z;1 rue A;24100;24037\n" +
                    $"Garage test;12345678901234;company;;;24100;24037\n" +
                    $"Ferme test;;farm;01.11Z;;;99999\n" +
                    $"Doublon test;{a};;;;;24037\n" +
                    $"Ferme deux;;farm;;;24100;\n";
        var preview = await PreviewAsync(facilitator, wrong, "structures.csv");
        Assert.Contains("4 erreur(s) : rien ne sera importé", preview, StringComparison.Ordinal);
        Assert.Matches(@"<td>3</td><td>siret : « 12345678901234 » n'est pas un SIRET valide", preview);
        Assert.Matches(@"<td>4</td><td>code_commune : « 99999 »", preview);
        Assert.Matches($@"<td>5</td><td>SIRET {a} déjà présent ligne 2\.", preview);
        Assert.Matches(@"<td>6</td><td>code_postal : 24100 dessert 4 communes", preview);
        Assert.DoesNotContain("handler=Import", preview, StringComparison.Ordinal);
        Assert.Equal(before, await OrganisationCountAsync());

        // Corrected: two creations; UTF-8 with a BOM and commas instead of semicolons.
        var right = $"\uFEFFnom,siret,type,naf,adresse,code_postal,code_commune\n" +
                    $"Recyclerie test,{a},association,3832Z,1 rue A,24100,24037\n" +
                    $"Garage test,{b},company,45.20A,,,24037\n";
        var ok = await PreviewAsync(facilitator, right, "structures.csv");
        Assert.Contains("2 à créer, 0 à mettre à jour", ok, StringComparison.Ordinal);
        Assert.Equal(before, await OrganisationCountAsync());
        var done = await ConfirmAsync(facilitator, ok);
        Assert.Contains("Import terminé : 2 structure(s) créée(s), 0 mise(s) à jour", done, StringComparison.Ordinal);
        Assert.Equal(before + 2, await OrganisationCountAsync());
        var recyclerie = await app.ScopedAsync(db => db.Organisations.SingleAsync(o => o.Siret == a));
        Assert.Equal(("Recyclerie test", OrganisationKind.Association, "38.32Z", "Bergerac"), (recyclerie.Name, recyclerie.Kind, recyclerie.NafCode, recyclerie.CommuneName));
        Assert.Equal("24037", await app.ScopedAsync(db => db.Organisations.Where(o => o.Siret == b).Select(o => o.CommuneInsee).SingleAsync()));

        // Again with a new name: found by SIRET, updated, not duplicated.
        var renamed = await PreviewAsync(facilitator, right.Replace("Recyclerie test", "Recyclerie du Bergeracois", StringComparison.Ordinal), "v2.csv");
        Assert.Contains("0 à créer, 1 à mettre à jour, 1 inchangée(s)", renamed, StringComparison.Ordinal);
        Assert.Contains("mise à jour", renamed, StringComparison.Ordinal);
        await ConfirmAsync(facilitator, renamed);
        Assert.Equal(before + 2, await OrganisationCountAsync());
        Assert.Equal("Recyclerie du Bergeracois", await app.ScopedAsync(db => db.Organisations.Where(o => o.Id == recyclerie.Id).Select(o => o.Name).SingleAsync()));
        Assert.True(await app.ScopedAsync(db => db.Set<AuditEntry>().AnyAsync(e => e.Action == WorkspaceAudit.Import && e.Reason!.StartsWith("v2.csv"))));
    }

    [Fact]
    public async Task A_sirene_extract_is_recognised_from_its_header_located_by_commune_code_and_updates_by_siret()
    {
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var existing = await app.ScopedAsync(db => db.Organisations.SingleAsync(o => o.ExternalKey == "ehpad-les-tilleuls"));
        var (c, d) = (ValidSiret("9200000000001"), ValidSiret("9200000000002"));
        var before = await OrganisationCountAsync();
        // INSEE's column names, comma-separated, with columns Boucle ignores; line 4 is in Périgueux, outside the perimeter.
        const string Header = "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,indiceRepetitionEtablissement,typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,codeCommuneEtablissement,etatAdministratifEtablissement,enseigne1Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement\n";
        string Row(string siret, string number, string type, string street, string postal, string commune, string insee, string sign, string name, string naf) =>
            $"{siret[..9]},{siret[9..]},{siret},O,2015-03-01,,{number},,{type},{street},{postal},{commune},{insee},A,{sign},{name},{naf},NAFRev2\n";
        var csv = "\uFEFF" + Header
            + Row(c, "12", "AV", "DU 108E REGIMENT D INFANTERIE", "24100", "BERGERAC", "24037", "", "SCIERIE DU PORT", "16.10A")
            + Row(existing.Siret!, "8", "ALL", "DES TILLEULS", "24130", "PRIGONRIEUX", "24340", "", "EHPAD LES TILLEULS RENOVE", "87.10A")
            + Row(d, "3", "RUE", "DU PALAIS", "24000", "PERIGUEUX", "24322", "CAFE DU PALAIS", "", "56.30Z");
        var preview = await PreviewAsync(facilitator, csv, "sirene.csv");
        Assert.Contains("Format : extrait SIRENE des établissements", preview, StringComparison.Ordinal);
        Assert.Contains("1 à créer, 1 à mettre à jour, 0 inchangée(s), 1 hors périmètre, 0 erreur(s)", preview, StringComparison.Ordinal);
        Assert.Contains("Ligne 4 : CAFE DU PALAIS : Périgueux (24322) est hors du périmètre", preview, StringComparison.Ordinal);
        await ConfirmAsync(facilitator, preview);
        Assert.Equal(before + 1, await OrganisationCountAsync());
        var scierie = await app.ScopedAsync(db => db.Organisations.SingleAsync(o => o.Siret == c));
        Assert.Equal(("SCIERIE DU PORT", "16.10A", "12 avenue DU 108E REGIMENT D INFANTERIE", "24037", "24100", OrganisationKind.Company),
            (scierie.Name, scierie.NafCode, scierie.Address, scierie.CommuneInsee, scierie.PostalCode, scierie.Kind));
        var ehpad = await app.ScopedAsync(db => db.Organisations.SingleAsync(o => o.Id == existing.Id));
        Assert.Equal("EHPAD LES TILLEULS RENOVE", ehpad.Name);
        Assert.Equal(OrganisationKind.Canteen, ehpad.Kind);
        Assert.False(await app.ScopedAsync(db => db.Organisations.AnyAsync(o => o.Siret == d)));

        // One wrong row among right ones: nothing at all is written.
        var (e, f) = (ValidSiret("9200000000003"), ValidSiret("9200000000004"));
        var mixed = Header
            + Row(e, "1", "RUE", "A", "24100", "BERGERAC", "24037", "", "BON 1", "16.10A")
            + Row(f, "2", "RUE", "B", "24100", "BERGERAC", "24037", "", "", "16.10A")
            + Row(ValidSiret("9200000000005"), "3", "RUE", "C", "24100", "BERGERAC", "24037", "", "BON 3", "99.99Q");
        var refused = await PreviewAsync(facilitator, mixed, "mixte.csv");
        Assert.Contains("2 erreur(s)", refused, StringComparison.Ordinal);
        Assert.Matches(@"<td>3</td><td>denominationUsuelleEtablissement / enseigne1Etablissement : l'établissement n'a pas de nom", refused);
        Assert.Matches(@"<td>4</td><td>activitePrincipaleEtablissement : « 99.99Q »", refused);
        Assert.Equal(before + 1, await OrganisationCountAsync());
    }

    [Fact]
    public async Task The_command_line_prints_errors_by_line_and_imports_nothing_a_dry_run_writes_nothing_and_a_clean_file_imports()
    {
        var folder = Directory.CreateTempSubdirectory("boucle-import-").FullName;
        var database = app.Provider == "postgresql" ? new[] { "--database", app.ConnectionString } : [];
        var (g, h) = (ValidSiret("9300000000001"), ValidSiret("9300000000002"));
        var wrongFile = Path.Combine(folder, "faux.csv");
        await File.WriteAllTextAsync(wrongFile, $"nom;siret;code_commune\nAtelier A;{g};24037\nAtelier B;{h[..13]}9;24037\nX;;24037\n", new UTF8Encoding(true));
        var before = await OrganisationCountAsync();
        var journal = await app.ScopedAsync(db => db.Set<AuditEntry>().CountAsync());

        var (code, output, error) = await RunCliAsync(["import", "organisations", "--input", wrongFile, "--data-dir", app.DataDir, .. database]);
        Assert.Equal(1, code);
        Assert.Contains($"line 3: siret : « {h[..13]}9 » n'est pas un SIRET valide", error, StringComparison.Ordinal);
        Assert.Contains("line 4: nom : indiquez le nom de la structure", error, StringComparison.Ordinal);
        Assert.DoesNotContain("line 2:", error, StringComparison.Ordinal);
        Assert.Contains("rien n'a été importé", error, StringComparison.Ordinal);
        Assert.Equal(before, await OrganisationCountAsync());

        var rightFile = Path.Combine(folder, "juste.csv");
        await File.WriteAllTextAsync(rightFile, $"nom;siret;code_commune\nAtelier A;{g};24037\nAtelier B;{h};24037\n", new UTF8Encoding(true));
        (code, output, _) = await RunCliAsync(["import", "organisations", "--input", rightFile, "--dry-run", "--data-dir", app.DataDir, .. database]);
        Assert.Equal(0, code);
        Assert.Contains("Grand Bergeracois : 2 structure(s) à créer, 0 à mettre à jour", output, StringComparison.Ordinal);
        Assert.Contains("rien n'a été écrit", output, StringComparison.Ordinal);
        Assert.Equal(before, await OrganisationCountAsync());
        Assert.Equal(journal, await app.ScopedAsync(db => db.Set<AuditEntry>().CountAsync()));

        var territoryId = await MainTerritoryIdAsync();
        (code, output, _) = await RunCliAsync(["import", "organisations", "--input", rightFile, "--territory", territoryId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", app.DataDir, .. database]);
        Assert.Equal(0, code);
        Assert.Contains("2 structure(s) créée(s)", output, StringComparison.Ordinal);
        Assert.Equal(before + 2, await OrganisationCountAsync());
        Assert.True(await app.ScopedAsync(db => db.Set<AuditEntry>().AnyAsync(a => a.Action == WorkspaceAudit.Import && a.ActorName == "Ligne de commande" && a.TerritoryId == territoryId)));

        (code, _, error) = await RunCliAsync(["import", "organisations", "--input", rightFile, "--territory", "nulle-part", "--data-dir", app.DataDir, .. database]);
        Assert.Equal(2, code);
        Assert.Contains("territoire introuvable", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_creates_a_territory_from_an_intercommunality_and_assigns_a_facilitator()
    {
        // CA Bergeracoise, SIREN 200070647: the 38 communes whose epci_siren is that code in Data/Reference/communes.csv.
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        Assert.NotEqual(HttpStatusCode.OK, (await facilitator.GetAsync("/admin/territoires")).StatusCode);
        var admin = await app.SignedInAsync(DemoSeeder.AdministratorEmail);
        var invalid = await BoucleApp.PostFormAsync(admin, "/admin/territoires", new Dictionary<string, string> { ["Input.Epci"] = "12345", ["Input.Communes"] = "Nullepartville" });
        var invalidHtml = WebUtility.HtmlDecode(await invalid.Content.ReadAsStringAsync());
        Assert.Contains("compte 9 chiffres", invalidHtml, StringComparison.Ordinal);
        Assert.Contains("« Nullepartville » introuvable", invalidHtml, StringComparison.Ordinal);

        var name = $"Agglo test {Guid.NewGuid():N}"[..20];
        var created = await BoucleApp.PostFormAsync(admin, "/admin/territoires", new Dictionary<string, string> { ["Input.Name"] = name, ["Input.Epci"] = "200070647" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var territory = await app.ScopedAsync(db => db.Territories.Include(t => t.Communes).SingleAsync(t => t.Name == name));
        Assert.Equal(38, territory.Communes.Count);
        Assert.Contains(territory.Communes, c => c.CommuneInsee == "24037");
        Assert.False(territory.IsMain);
        var page = await HtmlAsync(admin, created.Headers.Location!.OriginalString);
        Assert.Contains("38 commune(s)", page, StringComparison.Ordinal);

        var email = await app.ScopedAsync(async db =>
        {
            var user = DemoSeeder.ConfirmedUser($"anim-{Guid.NewGuid():N}@agglo.example.org", "Animatrice agglo", new PasswordHasher<AppUser>().HashPassword(null!, DemoSeeder.DemoPassword), DateTime.UtcNow);
            db.Users.Add(user);
            DemoSeeder.UseDemoAuthenticator(db, user);
            await db.SaveChangesAsync();
            return user.Email!;
        });
        var unknown = await BoucleApp.PostFormAsync(admin, $"/admin/territoires/{territory.Id}?handler=Facilitator", new Dictionary<string, string> { ["Email"] = "personne@example.org" }, $"/admin/territoires/{territory.Id}");
        Assert.Contains("Aucun compte n'a cette adresse", WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await BoucleApp.PostFormAsync(admin, $"/admin/territoires/{territory.Id}?handler=Facilitator", new Dictionary<string, string> { ["Email"] = email }, $"/admin/territoires/{territory.Id}");
        var newcomer = await app.SignedInAsync(email);
        Assert.Contains(name, await HtmlAsync(newcomer, "/animation/acteurs"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await newcomer.GetAsync($"/animation/acteurs/{await OrganisationIdAsync("menuiserie-dupuy")}")).StatusCode);

        var journal = await HtmlAsync(admin, "/admin/journal");
        Assert.Contains("Territoire créé", journal, StringComparison.Ordinal);
        Assert.Contains("Animateur ou animatrice ajoutée", journal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listing_open_to_neighbours_reaches_a_neighbouring_territorys_search_and_matches_only_when_its_territory_shares()
    {
        var main = await MainTerritoryIdAsync();
        // A demo offer and the need the engine pairs it with best; the need is copied into a territory 8 km from Bergerac.
        var (offer, need) = await app.ScopedAsync(async db =>
        {
            var pairs = await ServiceAsync<Boucle.Web.Features.Synergies.SynergyService>().PairsAsync(db, main, 0.3, CancellationToken.None);
            return (pairs[0].Offer.Id, pairs[0].Need.Id);
        });
        var (territoryId, flagged, unflagged) = await app.ScopedAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var territory = new Territory { Slug = $"voisin-{suffix}", Name = $"Voisin {suffix}", CenterLatitude = 44.92, CenterLongitude = 0.50, DefaultRadiusKm = 20, CreatedAt = now };
            db.Territories.Add(territory);
            await db.SaveChangesAsync();
            var organisation = new Organisation { TerritoryId = territory.Id, Name = $"Voisine {suffix}", Latitude = 44.92, Longitude = 0.50, CreatedAt = now };
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync();
            Boucle.Web.Features.Listings.Listing Copy(bool open)
            {
                var copy = db.Listings.AsNoTracking().Single(l => l.Id == need);
                copy.Id = 0;
                copy.TerritoryId = territory.Id;
                copy.OrganisationId = organisation.Id;
                copy.ExternalKey = null;
                copy.OpenToNeighbours = open;
                copy.Latitude = 44.92;
                copy.Longitude = 0.50;
                db.Listings.Add(copy);
                return copy;
            }

            var (yes, no) = (Copy(true), Copy(false));
            await db.SaveChangesAsync();
            return (territory.Id, yes.Id, no.Id);
        });
        ServiceAsync<Boucle.Web.Features.Synergies.ListingChanges>().Bump();

        async Task<IReadOnlyList<int>> SearchedAsync() => await app.ScopedAsync(async db =>
        {
            using var scope = app.Services.CreateScope();
            var search = scope.ServiceProvider.GetRequiredService<Boucle.Web.Features.Listings.ListingSearch>();
            var page = await search.SearchAsync(new Boucle.Web.Features.Listings.ListingQuery { TerritoryId = main, PageSize = 500 }, CancellationToken.None);
            return (IReadOnlyList<int>)[.. page.Items.Select(i => i.Id)];
        });
        async Task<IReadOnlyList<int>> MatchedAsync() => await app.ScopedAsync(async db =>
            (IReadOnlyList<int>)[.. (await ServiceAsync<Boucle.Web.Features.Synergies.SynergyService>().MatchesForAsync(db, offer, 100, CancellationToken.None)).Select(m => m.Listing.Id)]);

        // The neighbour does not share yet: neither copy is seen from the Grand Bergeracois.
        Assert.DoesNotContain(flagged, await SearchedAsync());
        Assert.DoesNotContain(flagged, await MatchedAsync());
        Assert.Contains(need, await MatchedAsync());

        var admin = await app.SignedInAsync(DemoSeeder.AdministratorEmail);
        var page = await HtmlAsync(admin, $"/admin/territoires/{territoryId}");
        Assert.Contains("Voisins de", page, StringComparison.Ordinal);
        Assert.Contains("Grand Bergeracois", page, StringComparison.Ordinal);
        await BoucleApp.PostFormAsync(admin, $"/admin/territoires/{territoryId}?handler=Sharing", new Dictionary<string, string> { ["open"] = "true" }, $"/admin/territoires/{territoryId}");

        // Shared: the flagged copy comes in, the unflagged one stays home.
        var searched = await SearchedAsync();
        Assert.Contains(flagged, searched);
        Assert.DoesNotContain(unflagged, searched);
        var matched = await MatchedAsync();
        Assert.Contains(flagged, matched);
        Assert.DoesNotContain(unflagged, matched);

        await BoucleApp.PostFormAsync(admin, $"/admin/territoires/{territoryId}?handler=Sharing", new Dictionary<string, string> { ["open"] = "false" }, $"/admin/territoires/{territoryId}");
        Assert.DoesNotContain(flagged, await SearchedAsync());
        Assert.DoesNotContain(flagged, await MatchedAsync());
        Assert.Contains("Annonces ouvertes aux territoires voisins", await HtmlAsync(admin, "/admin/journal"), StringComparison.Ordinal);
    }

    private T ServiceAsync<T>() where T : notnull => app.Services.GetRequiredService<T>();

    private async Task<string> PreviewAsync(HttpClient client, string csv, string fileName)
    {
        var token = await BoucleApp.AntiforgeryTokenAsync(client, "/animation/import");
        var territoryId = await MainTerritoryIdAsync();
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(territoryId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "TerritoryId" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "Csv", fileName },
        };
        var response = await client.PostAsync("/animation/import?handler=Preview", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> ConfirmAsync(HttpClient client, string previewHtml)
    {
        string Field(string name) => Regex.Match(previewHtml, $"name=\"{name}\" value=\"([^\"]*)\"").Groups[1].Value;
        var form = Regex.Match(previewHtml, "<form method=\"post\" action=\"[^\"]*handler=Import\">(.*?)</form>", RegexOptions.Singleline).Groups[1].Value;
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync("/animation/import?handler=Import", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["TerritoryId"] = Field("TerritoryId"),
            ["Upload"] = Field("Upload"),
            ["FileName"] = Field("FileName"),
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static async Task<(int Code, string Output, string Error)> RunCliAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BoucleCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// 13 digits + the Luhn check digit that makes a valid SIRET.
    private static string ValidSiret(string first13)
    {
        for (var d = 0; d < 10; d++)
        {
            var candidate = first13 + d.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (Siret.IsValid(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("impossible");
    }

    private static async Task<string> HtmlAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private Task<int> OrganisationCountAsync() => app.ScopedAsync(db => db.Organisations.CountAsync());

    private Task<int> MainTerritoryIdAsync() => app.ScopedAsync(db => db.Territories.Where(t => t.Slug == DemoSeeder.TerritorySlug).Select(t => t.Id).SingleAsync());

    private Task<int> OrganisationIdAsync(string key) => app.ScopedAsync(db => db.Organisations.Where(o => o.ExternalKey == key).Select(o => o.Id).SingleAsync());

    private sealed record OtherTerritory(int TerritoryId, string FacilitatorEmail, string OrganisationName);

    private Task<OtherTerritory> SecondTerritoryAsync() =>
        app.ScopedAsync(async db =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var now = DateTime.UtcNow;
            var territory = new Territory { Slug = $"vallee-{suffix}", Name = $"Vallée test {suffix}", CenterLatitude = 45.18, CenterLongitude = 0.72, CreatedAt = now };
            db.Territories.Add(territory);
            var facilitator = DemoSeeder.ConfirmedUser($"animation-{suffix}@vallee.example.org", "Animateur de la vallée", new PasswordHasher<AppUser>().HashPassword(null!, DemoSeeder.DemoPassword), now);
            db.Users.Add(facilitator);
            DemoSeeder.UseDemoAuthenticator(db, facilitator);
            await db.SaveChangesAsync();
            db.TerritoryFacilitators.Add(new TerritoryFacilitator { TerritoryId = territory.Id, UserId = facilitator.Id, Since = now });
            var organisation = new Organisation { TerritoryId = territory.Id, Name = $"Atelier de la vallée {suffix}", Latitude = 45.18, Longitude = 0.72, CreatedAt = now };
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync();
            return new OtherTerritory(territory.Id, facilitator.Email!, organisation.Name);
        });
}

public sealed class WorkspaceTestsOnSqlite(SqliteApp app) : WorkspaceTests<SqliteApp>(app);

public sealed class WorkspaceTestsOnPostgres(PostgresApp app) : WorkspaceTests<PostgresApp>(app);
