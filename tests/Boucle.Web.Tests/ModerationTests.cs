using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Messaging;
using Boucle.Web.Features.Moderation;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Territories;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

/// Trust and safety for the facilitators: reports, the queue, removals and appeals, pre-moderation,
/// verification, suspension and the journal. Each test uses its own demo organisations.
public abstract partial class ModerationTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    [Fact]
    public async Task A_reported_listing_is_removed_appealed_once_and_reinstated_with_emails_at_each_step()
    {
        var (listingId, title) = await PublishedListingAsync("atelier-bois-solidaire");
        var reporter = await app.SignedInAsync(Demo("jardins-gardonnette"));
        var listingPage = WebUtility.HtmlDecode(await reporter.GetStringAsync($"/annonces/{listingId}"));
        Assert.Contains("Signaler cette annonce", listingPage, StringComparison.Ordinal);
        Assert.Contains($"action=\"/moderation/signaler?annonce={listingId}\"", listingPage, StringComparison.Ordinal);

        // An empty reason is refused next to the field; a reason is stored as an open report.
        var empty = await BoucleApp.PostFormAsync(reporter, $"/moderation/signaler?annonce={listingId}", new Dictionary<string, string> { ["Reason"] = "  " }, $"/annonces/{listingId}");
        var emptyHtml = WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("Expliquez en quelques mots", emptyHtml, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", emptyHtml, StringComparison.Ordinal);
        var sent = await BoucleApp.PostFormAsync(reporter, $"/moderation/signaler?annonce={listingId}",
            new Dictionary<string, string> { ["Reason"] = "Annonce trompeuse : il s'agit de vente déguisée." }, $"/annonces/{listingId}");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Contains("Merci", WebUtility.HtmlDecode(await reporter.GetStringAsync(sent.Headers.Location!.OriginalString)), StringComparison.Ordinal);
        var again = await BoucleApp.PostFormAsync(reporter, $"/moderation/signaler?annonce={listingId}",
            new Dictionary<string, string> { ["Reason"] = "Encore." }, $"/annonces/{listingId}");
        Assert.Contains("déjà signalé", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var report = await app.ScopedAsync(db => db.Set<Report>().SingleAsync(r => r.TargetType == "listing" && r.TargetId == listingId && r.Reason.StartsWith("Annonce trompeuse")));
        Assert.Equal(ReportStatus.Open, report.Status);

        // The queue shows it to the facilitator, with the reason.
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var queue = WebUtility.HtmlDecode(await facilitator.GetStringAsync("/animation/moderation"));
        Assert.Contains(title, queue, StringComparison.Ordinal);
        Assert.Contains("vente déguisée", queue, StringComparison.Ordinal);
        Assert.Matches(@"Modération \(\d+\)", queue);

        // Removing needs a reason.
        var noReason = await BoucleApp.PostFormAsync(facilitator, "/animation/moderation?handler=Remove",
            new Dictionary<string, string> { ["listingId"] = Id(listingId), ["reportId"] = Id(report.Id), ["reason"] = "" }, "/animation/moderation");
        Assert.Contains("Indiquez la raison du retrait", WebUtility.HtmlDecode(await noReason.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.True(await IsPublicAsync(listingId));

        var removed = await BoucleApp.PostFormAsync(facilitator, "/animation/moderation?handler=Remove",
            new Dictionary<string, string> { ["listingId"] = Id(listingId), ["reportId"] = Id(report.Id), ["reason"] = "Vente déguisée, contraire à la charte." }, "/animation/moderation");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.False(await IsPublicAsync(listingId));
        Assert.Equal(ListingStatus.Withdrawn, await StatusAsync(listingId));
        Assert.Equal(ReportStatus.Resolved, await app.ScopedAsync(db => db.Set<Report>().Where(r => r.Id == report.Id).Select(r => r.Status).SingleAsync()));

        // The owner is e-mailed the reason and a link to appeal.
        var mail = await app.Smtp.WaitForAsync(Demo("atelier-bois-solidaire"), "Annonce retirée");
        Assert.Contains("contraire à la charte", mail.TextBody, StringComparison.Ordinal);
        var link = new Uri(LinkRegex().Matches(mail.TextBody ?? "").Select(m => m.Value).Single(v => v.Contains("/moderation/appel/", StringComparison.Ordinal)));
        var decisionId = await app.ScopedAsync(db => db.Set<ModerationDecision>().Where(d => d.ListingId == listingId).Select(d => d.Id).SingleAsync());
        Assert.Equal($"/moderation/appel/{decisionId}", link.AbsolutePath);

        // The owner cannot simply put it back online.
        var owner = await app.SignedInAsync(Demo("atelier-bois-solidaire"));
        var version = await app.ScopedAsync(db => db.Listings.Where(l => l.Id == listingId).Select(l => l.Version).SingleAsync());
        await BoucleApp.PostFormAsync(owner, $"/annonces/{listingId}?handler=Status",
            new Dictionary<string, string> { ["status"] = "Published", ["version"] = Id(version) }, $"/annonces/{listingId}");
        Assert.Equal(ListingStatus.Withdrawn, await StatusAsync(listingId));

        // Another organisation does not see the appeal page.
        Assert.Equal(HttpStatusCode.NotFound, (await reporter.GetAsync(link.AbsolutePath)).StatusCode);

        // One appeal; the second is refused and changes nothing.
        Assert.Contains("Envoyer mon appel", WebUtility.HtmlDecode(await owner.GetStringAsync(link.AbsolutePath)), StringComparison.Ordinal);
        var appeal = await BoucleApp.PostFormAsync(owner, link.AbsolutePath, new Dictionary<string, string> { ["Argument"] = "Nous donnons le marc, nous ne le vendons pas." });
        Assert.Equal(HttpStatusCode.Redirect, appeal.StatusCode);
        var second = await BoucleApp.PostFormAsync(owner, link.AbsolutePath, new Dictionary<string, string> { ["Argument"] = "Deuxième appel." });
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("déjà fait appel", WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var decision = await app.ScopedAsync(db => db.Set<ModerationDecision>().SingleAsync(d => d.Id == decisionId));
        Assert.Equal(ModerationStatus.Appealed, decision.Status);
        Assert.Equal("Nous donnons le marc, nous ne le vendons pas.", decision.AppealText);

        // The facilitator sees the appeal and reinstates: public again, the owner is told.
        Assert.Contains("Nous donnons le marc", WebUtility.HtmlDecode(await facilitator.GetStringAsync("/animation/moderation")), StringComparison.Ordinal);
        var reinstated = await BoucleApp.PostFormAsync(facilitator, "/animation/moderation?handler=Appeal",
            new Dictionary<string, string> { ["decisionId"] = Id(decisionId), ["decision"] = "reinstate", ["note"] = "Merci pour la précision." }, "/animation/moderation");
        Assert.Equal(HttpStatusCode.OK, reinstated.StatusCode);
        Assert.True(await IsPublicAsync(listingId));
        Assert.Equal(ModerationStatus.Reinstated, await app.ScopedAsync(db => db.Set<ModerationDecision>().Where(d => d.Id == decisionId).Select(d => d.Status).SingleAsync()));
        var outcome = await app.Smtp.WaitForAsync(Demo("atelier-bois-solidaire"), "Appel accepté");
        Assert.Contains("de nouveau en ligne", outcome.TextBody, StringComparison.Ordinal);

        // A decided appeal cannot be appealed again.
        var third = await BoucleApp.PostFormAsync(owner, link.AbsolutePath, new Dictionary<string, string> { ["Argument"] = "Encore." }, $"/annonces/{listingId}");
        Assert.Contains("déjà fait appel", WebUtility.HtmlDecode(await third.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_territorys_facilitators_are_emailed_a_link_to_the_queue_when_a_listing_or_an_organisation_is_reported()
    {
        var other = await SecondTerritoryAsync();
        var (listingId, title) = await PublishedListingAsync("garage-vidal");
        var organisationId = await OrganisationIdAsync("cartonnerie-lestrade");
        var organisationName = await app.ScopedAsync(db => db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Name).SingleAsync());
        var reporter = await app.SignedInAsync(Demo("studio-pastel"));
        Assert.Equal(HttpStatusCode.Redirect, (await BoucleApp.PostFormAsync(reporter, $"/moderation/signaler?annonce={listingId}",
            new Dictionary<string, string> { ["Reason"] = "Huiles usagées proposées sans bordereau." }, $"/annonces/{listingId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await BoucleApp.PostFormAsync(reporter, $"/moderation/signaler?structure={organisationId}",
            new Dictionary<string, string> { ["Reason"] = "Coordonnées fausses sur le profil." }, $"/structures/{organisationId}")).StatusCode);

        // Through the outbox and the real SMTP server, to the demo territory's facilitator.
        var listingMail = await app.Smtp.WaitForAsync(DemoSeeder.FacilitatorEmail, $"Nouveau signalement : l'annonce « {title} »");
        Assert.Contains("Huiles usagées proposées sans bordereau.", listingMail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"/annonces/{listingId}", listingMail.TextBody, StringComparison.Ordinal);
        var organisationMail = await app.Smtp.WaitForAsync(DemoSeeder.FacilitatorEmail, $"Nouveau signalement : la structure « {organisationName} »");
        Assert.Contains("Coordonnées fausses", organisationMail.TextBody, StringComparison.Ordinal);
        foreach (var mail in new[] { listingMail, organisationMail })
        {
            var queue = new Uri(LinkRegex().Matches(mail.TextBody ?? "").Select(m => m.Value).Single(v => v.EndsWith("/animation/moderation", StringComparison.Ordinal)));
            var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
            Assert.Contains(title, WebUtility.HtmlDecode(await facilitator.GetStringAsync(queue.AbsolutePath)), StringComparison.Ordinal);
        }

        // The facilitator of another territory hears nothing of it, nor does the reporter.
        Assert.Equal(0, await app.ScopedAsync(db => db.Outbox.CountAsync(m => m.To == other.FacilitatorEmail)));
        Assert.Equal(0, await app.ScopedAsync(db => db.Outbox.CountAsync(m => m.To == Demo("studio-pastel") && m.Subject.StartsWith("Nouveau signalement"))));

        // Clean up for the other tests of this class.
        var facilitatorClient = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        foreach (var reportId in await app.ScopedAsync(db => db.Set<Report>().Where(r => r.Reason.StartsWith("Huiles usagées") || r.Reason.StartsWith("Coordonnées fausses")).Select(r => r.Id).ToListAsync()))
        {
            await BoucleApp.PostFormAsync(facilitatorClient, "/animation/moderation?handler=Dismiss", new Dictionary<string, string> { ["reportId"] = Id(reportId) }, "/animation/moderation");
        }
    }

    [Fact]
    public async Task Under_pre_moderation_a_new_listing_is_not_public_until_a_facilitator_approves_it()
    {
        var territoryId = await app.ScopedAsync(db => db.Territories.Where(t => t.Slug == DemoSeeder.TerritorySlug).Select(t => t.Id).SingleAsync());
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var on = await BoucleApp.PostFormAsync(facilitator, "/animation/moderation?handler=PreModeration",
            new Dictionary<string, string> { ["territoryId"] = Id(territoryId), ["enabled"] = "true" }, "/animation/moderation");
        Assert.Contains("Pré-modération activée", WebUtility.HtmlDecode(await on.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        try
        {
            var owner = await app.SignedInAsync(Demo("fournil-de-jeanne"));
            var posted = await BoucleApp.PostFormAsync(owner, "/annonces/nouvelle", new Dictionary<string, string>
            {
                ["Input.Type"] = "Offer",
                ["Input.Title"] = "Pain de la veille en attente de validation",
                ["Input.Description"] = "Une dizaine de kilos chaque semaine.",
                ["publish"] = "true",
            });
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            var listingId = await app.ScopedAsync(db => db.Listings.Where(l => l.Title == "Pain de la veille en attente de validation").Select(l => l.Id).SingleAsync());
            Assert.Equal(ListingStatus.PendingReview, await StatusAsync(listingId));
            Assert.False(await IsPublicAsync(listingId));
            Assert.DoesNotContain(listingId, await SearchIdsAsync("pain veille"));
            Assert.Contains("attend la validation", WebUtility.HtmlDecode(await owner.GetStringAsync($"/annonces/{listingId}")), StringComparison.Ordinal);

            var queue = WebUtility.HtmlDecode(await facilitator.GetStringAsync("/animation/moderation"));
            Assert.Contains("Pain de la veille en attente de validation", queue, StringComparison.Ordinal);
            var refusedWithoutReason = await BoucleApp.PostFormAsync(facilitator, "/animation/moderation?handler=Review",
                new Dictionary<string, string> { ["listingId"] = Id(listingId), ["decision"] = "refuse", ["reason"] = "" }, "/animation/moderation");
            Assert.Contains("Indiquez pourquoi vous refusez", WebUtility.HtmlDecode(await refusedWithoutReason.Content.ReadAsStringAsync()), StringComparison.Ordinal);
            Assert.Equal(ListingStatus.PendingReview, await StatusAsync(listingId));

            await BoucleApp.PostFormAsync(facilitator, "/animation/moderation?handler=Review",
                new Dictionary<string, string> { ["listingId"] = Id(listingId), ["decision"] = "approve" }, "/animation/moderation");
            Assert.Equal(ListingStatus.Published, await StatusAsync(listingId));
            Assert.True(await IsPublicAsync(listingId));
            Assert.Contains(listingId, await SearchIdsAsync("pain veille"));
            await app.Smtp.WaitForAsync(Demo("fournil-de-jeanne"), "Annonce validée");
        }
        finally
        {
            await BoucleApp.PostFormAsync(facilitator, "/animation/moderation?handler=PreModeration",
                new Dictionary<string, string> { ["territoryId"] = Id(territoryId), ["enabled"] = "false" }, "/animation/moderation");
        }

        Assert.False(await app.ScopedAsync(db => db.Territories.Where(t => t.Id == territoryId).Select(t => t.PreModeration).SingleAsync()));
        var actions = await app.ScopedAsync(db => db.Set<AuditEntry>().Where(a => a.TerritoryId == territoryId).Select(a => a.Action).ToListAsync());
        Assert.Contains(AuditActions.PreModerationOn, actions);
        Assert.Contains(AuditActions.ListingApprove, actions);
        Assert.Contains(AuditActions.PreModerationOff, actions);
    }

    [Fact]
    public async Task Verifying_an_organisation_needs_a_present_and_valid_siret()
    {
        var organisationId = await OrganisationIdAsync("scierie-delmas");
        var original = await app.ScopedAsync(db => db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Siret).SingleAsync());
        Assert.True(Siret.IsValid(original));
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        foreach (var (siret, error) in new[] { ((string?)null, "n'a pas de SIRET"), ("12345678901234", "n'est pas valide") })
        {
            await SetOrganisationAsync(organisationId, o => { o.Siret = siret; o.Verified = false; o.VerifiedAt = null; });
            var response = await BoucleApp.PostFormAsync(facilitator, $"/animation/structures/{organisationId}?handler=Verify", new Dictionary<string, string>(), $"/structures/{organisationId}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(error, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
            Assert.False(await app.ScopedAsync(db => db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Verified).SingleAsync()));
        }

        await SetOrganisationAsync(organisationId, o => o.Siret = original);
        var organisationPage = WebUtility.HtmlDecode(await facilitator.GetStringAsync($"/structures/{organisationId}"));
        Assert.Contains("Vérifier la structure", organisationPage, StringComparison.Ordinal);
        Assert.Contains($"action=\"/animation/structures/{organisationId}?handler=Verify\"", organisationPage, StringComparison.Ordinal);
        Assert.Contains($"action=\"/animation/structures/{organisationId}?handler=Suspend\"", organisationPage, StringComparison.Ordinal);
        var verified = await BoucleApp.PostFormAsync(facilitator, $"/animation/structures/{organisationId}?handler=Verify", new Dictionary<string, string>(), $"/structures/{organisationId}");
        Assert.Contains("est vérifiée", WebUtility.HtmlDecode(await verified.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var organisation = await app.ScopedAsync(db => db.Organisations.SingleAsync(o => o.Id == organisationId));
        Assert.True(organisation.Verified);
        Assert.NotNull(organisation.VerifiedAt);
        Assert.Contains("badge verified", await app.Browser().GetStringAsync($"/structures/{organisationId}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspending_an_organisation_hides_its_listings_from_the_api_and_emails_its_members()
    {
        var organisationId = await OrganisationIdAsync("imprimerie-castang");
        var listingIds = await app.ScopedAsync(db => db.Listings.Where(l => l.OrganisationId == organisationId && l.Status == ListingStatus.Published).Select(l => l.Id).ToListAsync());
        Assert.NotEmpty(listingIds);
        Assert.Contains(listingIds[0], await AllSearchIdsAsync());

        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var noReason = await BoucleApp.PostFormAsync(facilitator, $"/animation/structures/{organisationId}?handler=Suspend", new Dictionary<string, string> { ["Reason"] = " " }, $"/structures/{organisationId}");
        var noReasonHtml = WebUtility.HtmlDecode(await noReason.Content.ReadAsStringAsync());
        Assert.Contains("Indiquez la raison de la suspension", noReasonHtml, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", noReasonHtml, StringComparison.Ordinal);
        Assert.False(await SuspendedAsync(organisationId));

        await BoucleApp.PostFormAsync(facilitator, $"/animation/structures/{organisationId}?handler=Suspend",
            new Dictionary<string, string> { ["Reason"] = "Annonces répétées de déchets non conformes." }, $"/structures/{organisationId}");
        Assert.True(await SuspendedAsync(organisationId));
        var visible = await AllSearchIdsAsync();
        Assert.DoesNotContain(visible, listingIds.Contains);
        Assert.False(await IsPublicAsync(listingIds[0]));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Browser().GetAsync($"/structures/{organisationId}")).StatusCode);
        var mail = await app.Smtp.WaitForAsync(Demo("imprimerie-castang"), "Structure suspendue");
        Assert.Contains("déchets non conformes", mail.TextBody, StringComparison.Ordinal);

        await BoucleApp.PostFormAsync(facilitator, $"/animation/structures/{organisationId}?handler=Unsuspend", new Dictionary<string, string>(), $"/structures/{organisationId}");
        Assert.False(await SuspendedAsync(organisationId));
        Assert.Contains(listingIds[0], await AllSearchIdsAsync());
        await app.Smtp.WaitForAsync(Demo("imprimerie-castang"), "Suspension levée");
    }

    [Fact]
    public async Task A_plain_member_is_refused_the_queue_and_the_facilitator_actions_and_nothing_changes()
    {
        var organisationId = await OrganisationIdAsync("metallerie-bonnal");
        var (listingId, _) = await PublishedListingAsync("metallerie-bonnal");
        var member = await app.SignedInAsync(Demo("menuiserie-dupuy"));
        Assert.DoesNotContain("/animation/moderation", await member.GetStringAsync("/annonces"), StringComparison.Ordinal);
        AssertRefused(await member.GetAsync("/animation/moderation"));
        AssertRefused(await member.GetAsync($"/animation/structures/{organisationId}"));
        AssertRefused(await BoucleApp.PostFormAsync(member, $"/animation/structures/{organisationId}?handler=Verify", new Dictionary<string, string>(), "/annonces"));
        AssertRefused(await BoucleApp.PostFormAsync(member, $"/animation/structures/{organisationId}?handler=Suspend", new Dictionary<string, string> { ["Reason"] = "Je n'aime pas." }, "/annonces"));
        AssertRefused(await BoucleApp.PostFormAsync(member, "/animation/moderation?handler=Remove",
            new Dictionary<string, string> { ["listingId"] = Id(listingId), ["reason"] = "Concurrence." }, "/annonces"));
        var territoryId = await app.ScopedAsync(db => db.Territories.Where(t => t.Slug == DemoSeeder.TerritorySlug).Select(t => t.Id).SingleAsync());
        AssertRefused(await BoucleApp.PostFormAsync(member, "/animation/moderation?handler=PreModeration",
            new Dictionary<string, string> { ["territoryId"] = Id(territoryId), ["enabled"] = "true" }, "/annonces"));

        var organisation = await app.ScopedAsync(db => db.Organisations.AsNoTracking().SingleAsync(o => o.Id == organisationId));
        Assert.False(organisation.Suspended);
        Assert.True(await IsPublicAsync(listingId));
        Assert.False(await app.ScopedAsync(db => db.Territories.Where(t => t.Id == territoryId).Select(t => t.PreModeration).SingleAsync()));
        Assert.False(await app.ScopedAsync(db => db.Set<AuditEntry>().AnyAsync(a => a.TargetType == "organisation" && a.TargetId == organisationId)));

        // Signed out: to the sign-in page.
        var visitor = await app.Browser().GetAsync("/animation/moderation");
        Assert.Equal(HttpStatusCode.Redirect, visitor.StatusCode);
        Assert.StartsWith("/connexion", visitor.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_facilitator_of_another_territory_sees_nothing_of_this_one_and_cannot_act_on_it()
    {
        var other = await SecondTerritoryAsync();

        // A report in the demo territory.
        var (listingId, title) = await PublishedListingAsync("distillerie-maury");
        var reporter = await app.SignedInAsync(Demo("vignerons-de-pomport"));
        Assert.Equal(HttpStatusCode.Redirect, (await BoucleApp.PostFormAsync(reporter, $"/moderation/signaler?annonce={listingId}",
            new Dictionary<string, string> { ["Reason"] = "Photo sans rapport avec l'annonce." }, $"/annonces/{listingId}")).StatusCode);
        var reportId = await app.ScopedAsync(db => db.Set<Report>().Where(r => r.TargetType == "listing" && r.TargetId == listingId).Select(r => r.Id).SingleAsync());
        var demoOrganisation = await OrganisationIdAsync("distillerie-maury");
        var demoTerritory = await app.ScopedAsync(db => db.Territories.Where(t => t.Slug == DemoSeeder.TerritorySlug).Select(t => t.Id).SingleAsync());

        var outsider = await app.SignedInAsync(other.FacilitatorEmail);
        var queue = WebUtility.HtmlDecode(await outsider.GetStringAsync("/animation/moderation"));
        Assert.DoesNotContain(title, queue, StringComparison.Ordinal);
        Assert.DoesNotContain("Photo sans rapport", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("Grand Bergeracois", queue, StringComparison.Ordinal);
        Assert.Contains("Modération (0)", queue, StringComparison.Ordinal);

        AssertRefused(await BoucleApp.PostFormAsync(outsider, "/animation/moderation?handler=Dismiss", new Dictionary<string, string> { ["reportId"] = Id(reportId) }, "/animation/moderation"));
        AssertRefused(await BoucleApp.PostFormAsync(outsider, "/animation/moderation?handler=Remove",
            new Dictionary<string, string> { ["listingId"] = Id(listingId), ["reportId"] = Id(reportId), ["reason"] = "Hors de mon territoire." }, "/animation/moderation"));
        AssertRefused(await BoucleApp.PostFormAsync(outsider, "/animation/moderation?handler=PreModeration",
            new Dictionary<string, string> { ["territoryId"] = Id(demoTerritory), ["enabled"] = "true" }, "/animation/moderation"));
        AssertRefused(await outsider.GetAsync($"/animation/structures/{demoOrganisation}"));
        AssertRefused(await BoucleApp.PostFormAsync(outsider, $"/animation/structures/{demoOrganisation}?handler=Suspend",
            new Dictionary<string, string> { ["Reason"] = "Hors de mon territoire." }, "/animation/moderation"));
        AssertRefused(await BoucleApp.PostFormAsync(outsider, $"/animation/structures/{demoOrganisation}?handler=Verify", new Dictionary<string, string>(), "/animation/moderation"));

        Assert.Equal(ReportStatus.Open, await app.ScopedAsync(db => db.Set<Report>().Where(r => r.Id == reportId).Select(r => r.Status).SingleAsync()));
        Assert.True(await IsPublicAsync(listingId));
        Assert.False(await SuspendedAsync(demoOrganisation));
        Assert.False(await app.ScopedAsync(db => db.Territories.Where(t => t.Id == demoTerritory).Select(t => t.PreModeration).SingleAsync()));

        // The demo facilitator cannot act on the other territory either; its own facilitator can.
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        AssertRefused(await BoucleApp.PostFormAsync(facilitator, $"/animation/structures/{other.OrganisationId}?handler=Suspend",
            new Dictionary<string, string> { ["Reason"] = "Pas chez moi." }, "/animation/moderation"));
        Assert.False(await SuspendedAsync(other.OrganisationId));
        await BoucleApp.PostFormAsync(outsider, $"/animation/structures/{other.OrganisationId}?handler=Suspend",
            new Dictionary<string, string> { ["Reason"] = "Structure fictive de test." }, "/animation/moderation");
        Assert.True(await SuspendedAsync(other.OrganisationId));

        // Clean up the report for the other tests of this class.
        await BoucleApp.PostFormAsync(facilitator, "/animation/moderation?handler=Dismiss", new Dictionary<string, string> { ["reportId"] = Id(reportId) }, "/animation/moderation");
        Assert.Equal(ReportStatus.Dismissed, await app.ScopedAsync(db => db.Set<Report>().Where(r => r.Id == reportId).Select(r => r.Status).SingleAsync()));
    }

    [Fact]
    public async Task The_journal_lists_the_facilitators_actions_for_administrators_only()
    {
        var organisationId = await OrganisationIdAsync("transports-lafage");
        await SetOrganisationAsync(organisationId, o => { o.Verified = false; o.VerifiedAt = null; });
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        await BoucleApp.PostFormAsync(facilitator, $"/animation/structures/{organisationId}?handler=Verify", new Dictionary<string, string>(), "/animation/moderation");
        var name = await app.ScopedAsync(db => db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Name).SingleAsync());

        var admin = await app.SignedInAsync(DemoSeeder.AdministratorEmail);
        var journal = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/journal"));
        Assert.Contains("Structure vérifiée", journal, StringComparison.Ordinal);
        Assert.Contains(name, journal, StringComparison.Ordinal);
        Assert.Contains("Camille Animatrice", journal, StringComparison.Ordinal);

        AssertRefused(await facilitator.GetAsync("/admin/journal"));
        AssertRefused(await (await app.SignedInAsync(Demo("brasserie-du-caudeau"))).GetAsync("/admin/journal"));
        Assert.Equal(HttpStatusCode.Redirect, (await app.Browser().GetAsync("/admin/journal")).StatusCode);
    }

    [Fact]
    public async Task A_person_may_report_ten_times_a_day_and_not_their_own_listing()
    {
        var reporter = await app.SignedInAsync(Demo("ehpad-les-tilleuls"));
        var own = await PublishedListingAsync("ehpad-les-tilleuls");
        var refusedOwn = await BoucleApp.PostFormAsync(reporter, $"/moderation/signaler?annonce={own.Id}", new Dictionary<string, string> { ["Reason"] = "Test." }, "/annonces");
        Assert.Contains("votre structure", WebUtility.HtmlDecode(await refusedOwn.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var targets = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == ListingStatus.Published && l.Organisation!.ExternalKey != "ehpad-les-tilleuls")
            .OrderByDescending(l => l.Id).Select(l => l.Id).Take(11).ToListAsync());
        for (var i = 0; i < 10; i++)
        {
            var ok = await BoucleApp.PostFormAsync(reporter, $"/moderation/signaler?annonce={targets[i]}", new Dictionary<string, string> { ["Reason"] = $"Signalement {i}" }, "/annonces");
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        }

        var eleventh = await BoucleApp.PostFormAsync(reporter, $"/moderation/signaler?annonce={targets[10]}", new Dictionary<string, string> { ["Reason"] = "Un de trop" }, "/annonces");
        Assert.Equal(HttpStatusCode.OK, eleventh.StatusCode);
        Assert.Contains("10 signalements en 24 heures", WebUtility.HtmlDecode(await eleventh.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False(await app.ScopedAsync(db => db.Set<Report>().AnyAsync(r => r.Reason == "Un de trop")));

        // Clean the queue for the other tests.
        await app.ScopedAsync(db => db.Set<Report>().Where(r => r.Reason.StartsWith("Signalement ")).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReportStatus.Dismissed)));
    }

    private static void AssertRefused(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("/acces-refuse", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            return;
        }

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"Réponse inattendue : {response.StatusCode}");
    }

    private static string Demo(string key) => $"{key}@demo.example.org";

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private Task<int> OrganisationIdAsync(string key) =>
        app.ScopedAsync(db => db.Organisations.Where(o => o.ExternalKey == key).Select(o => o.Id).SingleAsync());

    private Task<(int Id, string Title)> PublishedListingAsync(string key) =>
        app.ScopedAsync(async db =>
        {
            var l = await db.Listings.Where(l => l.Organisation!.ExternalKey == key && l.Status == ListingStatus.Published)
                .OrderBy(l => l.Id).Select(l => new { l.Id, l.Title }).FirstAsync();
            return (l.Id, l.Title);
        });

    private Task<ListingStatus> StatusAsync(int listingId) =>
        app.ScopedAsync(db => db.Listings.Where(l => l.Id == listingId).Select(l => l.Status).SingleAsync());

    private Task<bool> SuspendedAsync(int organisationId) =>
        app.ScopedAsync(db => db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Suspended).SingleAsync());

    private Task SetOrganisationAsync(int organisationId, Action<Organisation> change) =>
        app.ScopedAsync(async db =>
        {
            var organisation = await db.Organisations.SingleAsync(o => o.Id == organisationId);
            change(organisation);
            return await db.SaveChangesAsync();
        });

    /// Public means: the anonymous API and page both answer.
    private async Task<bool> IsPublicAsync(int listingId)
    {
        var visitor = app.Browser();
        var api = await visitor.GetAsync($"/api/v1/listings/{listingId}");
        var page = await visitor.GetAsync($"/annonces/{listingId}");
        Assert.Equal(api.StatusCode, page.StatusCode);
        return api.StatusCode == HttpStatusCode.OK;
    }

    private async Task<List<int>> SearchIdsAsync(string words)
    {
        using var json = JsonDocument.Parse(await app.Browser().GetStringAsync($"/api/v1/listings?q={Uri.EscapeDataString(words)}&page_size=100"));
        return [.. json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32())];
    }

    private async Task<List<int>> AllSearchIdsAsync()
    {
        var ids = new List<int>();
        var client = app.Browser();
        for (var page = 1; ; page++)
        {
            var body = await client.GetFromJsonAsync<JsonElement>($"/api/v1/listings?sort=date&page_size=100&page={page}");
            var items = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()).ToList();
            ids.AddRange(items);
            if (items.Count < 100)
            {
                return ids;
            }
        }
    }

    private sealed record OtherTerritory(int TerritoryId, string FacilitatorEmail, int OrganisationId);

    /// A second territory with its own facilitator and one organisation, created for the test.
    private Task<OtherTerritory> SecondTerritoryAsync() =>
        app.ScopedAsync(async db =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var now = DateTime.UtcNow;
            var territory = new Territory { Slug = $"vallee-{suffix}", Name = $"Vallée test {suffix}", CenterLatitude = 45.18, CenterLongitude = 0.72, CreatedAt = now };
            db.Territories.Add(territory);
            var hash = new PasswordHasher<AppUser>().HashPassword(null!, DemoSeeder.DemoPassword);
            AppUser NewUser(string email, string name)
            {
                var user = DemoSeeder.ConfirmedUser(email, name, hash, now);
                db.Users.Add(user);
                return user;
            }

            var facilitator = NewUser($"animation-{suffix}@vallee.example.org", "Animateur de la vallée");
            DemoSeeder.UseDemoAuthenticator(db, facilitator);
            var owner = NewUser($"owner-{suffix}@vallee.example.org", "Gérante de la vallée");
            await db.SaveChangesAsync();
            db.TerritoryFacilitators.Add(new TerritoryFacilitator { TerritoryId = territory.Id, UserId = facilitator.Id, Since = now });
            var organisation = new Organisation { TerritoryId = territory.Id, Name = $"Atelier de la vallée {suffix}", Siret = "32687415300017", Latitude = 45.18, Longitude = 0.72, CreatedAt = now };
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync();
            db.Memberships.Add(new Membership { OrganisationId = organisation.Id, UserId = owner.Id, Role = MemberRole.Owner, Since = now });
            await db.SaveChangesAsync();
            return new OtherTerritory(territory.Id, facilitator.Email!, organisation.Id);
        });

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkRegex();
}

public sealed class ModerationTestsOnSqlite(SqliteApp app) : ModerationTests<SqliteApp>(app);

public sealed class ModerationTestsOnPostgres(PostgresApp app) : ModerationTests<PostgresApp>(app);
