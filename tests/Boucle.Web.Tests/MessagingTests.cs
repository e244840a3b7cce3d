using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Messaging;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

/// Messaging between organisations about a listing. Each test uses its own pair of demo
/// organisations, so that the tests of one class (one database) do not see each other's messages.
public abstract partial class MessagingTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    [Fact]
    public async Task A_member_of_another_organisation_contacts_the_owner_who_is_emailed_replies_and_the_unread_count_follows()
    {
        var (listingId, ownerName) = await PublishedListingAsync("distillerie-maury");
        var asker = await app.SignedInAsync(Demo("jardins-gardonnette"));
        var askerName = await OrganisationNameAsync("jardins-gardonnette");

        // The listing page offers the contact form in place of the old link.
        var page = WebUtility.HtmlDecode(await asker.GetStringAsync($"/annonces/{listingId}"));
        Assert.Contains($"Contacter {ownerName}", page, StringComparison.Ordinal);
        Assert.Contains("action=\"/messages/nouvelle\"", page, StringComparison.Ordinal);

        var started = await BoucleApp.PostFormAsync(asker, "/messages/nouvelle",
            new Dictionary<string, string> { ["annonce"] = Id(listingId), ["Body"] = "Bonjour,\nvos drêches sont-elles encore disponibles ?" }, $"/annonces/{listingId}");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var conversationId = await app.ScopedAsync(db => db.Set<Conversation>().Where(c => c.ListingId == listingId).Select(c => c.Id).SingleAsync());
        Assert.StartsWith($"/messages/{conversationId}", started.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // The owner of the listing's organisation gets an e-mail on the real SMTP server, with a link back.
        var mail = await app.Smtp.WaitForAsync(Demo("distillerie-maury"), "Nouveau message");
        Assert.Contains(askerName, mail.Subject, StringComparison.Ordinal);
        var link = new Uri(LinkRegex().Match(mail.TextBody ?? "").Value);
        Assert.Equal($"/messages/{conversationId}", link.AbsolutePath);

        var owner = await app.SignedInAsync(Demo("distillerie-maury"));
        Assert.Contains("Messages (1)", await owner.GetStringAsync("/annonces"), StringComparison.Ordinal);
        var thread = WebUtility.HtmlDecode(await owner.GetStringAsync(link.PathAndQuery));
        Assert.Contains("vos drêches sont-elles encore disponibles ?", thread, StringComparison.Ordinal);
        Assert.Contains($"Conversation avec {askerName}", thread, StringComparison.Ordinal);
        Assert.Contains("Messages (0)", thread, StringComparison.Ordinal);

        var reply = await BoucleApp.PostFormAsync(owner, $"/messages/{conversationId}?handler=Reply",
            new Dictionary<string, string> { ["Body"] = "Oui, passez jeudi matin.", ["action"] = "envoyer" }, "/messages");
        Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);
        await app.Smtp.WaitForAsync(Demo("jardins-gardonnette"), "Nouveau message");

        // The asker sees one unread message in the nav and the inbox, then none after reading.
        var inbox = WebUtility.HtmlDecode(await asker.GetStringAsync("/messages"));
        Assert.Contains("Messages (1)", inbox, StringComparison.Ordinal);
        Assert.Contains("1 non lu", inbox, StringComparison.Ordinal);
        Assert.Contains(ownerName, inbox, StringComparison.Ordinal);
        Assert.Contains("Oui, passez jeudi matin.", inbox, StringComparison.Ordinal);
        var read = WebUtility.HtmlDecode(await asker.GetStringAsync($"/messages/{conversationId}"));
        Assert.Contains("Oui, passez jeudi matin.", read, StringComparison.Ordinal);
        Assert.Contains("Messages (0)", await asker.GetStringAsync("/messages"), StringComparison.Ordinal);

        // The sender sees that the notification e-mail of their message went out.
        await WaitForAsync(async () => (await asker.GetStringAsync($"/messages/{conversationId}")).Contains("e-mail envoyé", StringComparison.Ordinal));

        // Back on the listing page, the asker is led to the existing conversation.
        var again = WebUtility.HtmlDecode(await asker.GetStringAsync($"/annonces/{listingId}"));
        Assert.Contains($"href=\"/messages/{conversationId}\"", again, StringComparison.Ordinal);
        Assert.Equal(1, await app.ScopedAsync(db => db.Set<Conversation>().CountAsync(c => c.ListingId == listingId)));
    }

    [Fact]
    public async Task An_unrelated_organisation_and_a_facilitator_get_404_and_cannot_post_to_the_conversation()
    {
        var conversationId = await StartAsync("garage-vidal", "plastiques-techniques-perigord", "Vos chutes de PEHD m'intéressent.");
        var before = await MessageCountAsync(conversationId);

        var stranger = await app.SignedInAsync(Demo("transports-lafage"));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/messages/{conversationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/messages/999999")).StatusCode);
        var post = await BoucleApp.PostFormAsync(stranger, $"/messages/{conversationId}?handler=Reply",
            new Dictionary<string, string> { ["Body"] = "Intrusion", ["action"] = "envoyer" }, "/messages");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        var block = await BoucleApp.PostFormAsync(stranger, $"/messages/{conversationId}?handler=Block", new Dictionary<string, string>(), "/messages");
        Assert.Equal(HttpStatusCode.NotFound, block.StatusCode);
        Assert.DoesNotContain("Vos chutes de PEHD", await stranger.GetStringAsync("/messages"), StringComparison.Ordinal);

        // Facilitators moderate reports, they do not read private messages.
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await facilitator.GetAsync($"/messages/{conversationId}")).StatusCode);

        var visitor = await app.Browser().GetAsync($"/messages/{conversationId}");
        Assert.Equal(HttpStatusCode.Redirect, visitor.StatusCode);
        Assert.StartsWith("/connexion", visitor.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        Assert.Equal(before, await MessageCountAsync(conversationId));
        Assert.False(await app.ScopedAsync(db => db.Set<OrganisationBlock>().AnyAsync(b => b.BlockedOrganisationId == db.Organisations.Where(o => o.ExternalKey == "garage-vidal").Select(o => o.Id).Single())));
    }

    [Fact]
    public async Task A_blocked_organisation_can_neither_continue_nor_start_a_conversation()
    {
        var conversationId = await StartAsync("gaec-pech-rouge", "compost-des-coteaux", "Bonjour, avez-vous du compost ?");
        var owner = await app.SignedInAsync(Demo("compost-des-coteaux"));
        var blocked = await BoucleApp.PostFormAsync(owner, $"/messages/{conversationId}?handler=Block", new Dictionary<string, string>(), "/messages");
        Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
        var ownerView = WebUtility.HtmlDecode(await owner.GetStringAsync($"/messages/{conversationId}"));
        Assert.Contains("Vous avez bloqué", ownerView, StringComparison.Ordinal);
        Assert.Contains("Débloquer", ownerView, StringComparison.Ordinal);

        var asker = await app.SignedInAsync(Demo("gaec-pech-rouge"));
        var view = WebUtility.HtmlDecode(await asker.GetStringAsync($"/messages/{conversationId}"));
        Assert.Contains("a bloqué votre structure", view, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Reply", view, StringComparison.Ordinal);

        var before = await MessageCountAsync(conversationId);
        var reply = await BoucleApp.PostFormAsync(asker, $"/messages/{conversationId}?handler=Reply",
            new Dictionary<string, string> { ["Body"] = "Et maintenant ?", ["action"] = "envoyer" }, "/messages");
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Contains("a bloqué votre structure", WebUtility.HtmlDecode(await reply.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(before, await MessageCountAsync(conversationId));

        // Nor about another of its listings.
        var otherListing = await app.ScopedAsync(db => db.Listings.Where(l => l.Organisation!.ExternalKey == "compost-des-coteaux"
            && l.Status == ListingStatus.Published && !db.Set<Conversation>().Any(c => c.ListingId == l.Id)).Select(l => l.Id).FirstAsync());
        Assert.Contains("a bloqué votre structure", WebUtility.HtmlDecode(await asker.GetStringAsync($"/annonces/{otherListing}")), StringComparison.Ordinal);
        var start = await BoucleApp.PostFormAsync(asker, "/messages/nouvelle",
            new Dictionary<string, string> { ["annonce"] = Id(otherListing), ["Body"] = "Autre annonce" }, "/messages");
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Contains("a bloqué votre structure", WebUtility.HtmlDecode(await start.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False(await app.ScopedAsync(db => db.Set<Conversation>().AnyAsync(c => c.ListingId == otherListing)));

        // Unblocking lets the conversation go on.
        await BoucleApp.PostFormAsync(owner, $"/messages/{conversationId}?handler=Unblock", new Dictionary<string, string>(), "/messages");
        var after = await BoucleApp.PostFormAsync(asker, $"/messages/{conversationId}?handler=Reply",
            new Dictionary<string, string> { ["Body"] = "Merci de m'avoir débloqué.", ["action"] = "envoyer" }, "/messages");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal(before + 1, await MessageCountAsync(conversationId));
    }

    [Fact]
    public async Task An_empty_or_too_long_message_gives_a_french_error_and_stores_nothing()
    {
        var (listingId, _) = await PublishedListingAsync("batiment-perigord-construction");
        var asker = await app.SignedInAsync(Demo("vert-coteaux-paysage"));
        foreach (var (body, error) in new[] { ("   ", "Écrivez votre message."), (new string('a', 4001), "Votre message est trop long") })
        {
            var response = await BoucleApp.PostFormAsync(asker, "/messages/nouvelle",
                new Dictionary<string, string> { ["annonce"] = Id(listingId), ["Body"] = body }, $"/annonces/{listingId}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.Contains(error, html, StringComparison.Ordinal);
            Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        }

        Assert.False(await app.ScopedAsync(db => db.Set<Conversation>().AnyAsync(c => c.ListingId == listingId)));

        // Exactly 4,000 characters, line breaks sent as CRLF counting once, is accepted.
        var conversationId = await StartAsync("vert-coteaux-paysage", "batiment-perigord-construction", "Premier message.");
        var before = await MessageCountAsync(conversationId);
        foreach (var (body, error) in new[] { ("", "Écrivez votre message."), (new string('b', 4001), "Votre message est trop long") })
        {
            var response = await BoucleApp.PostFormAsync(asker, $"/messages/{conversationId}?handler=Reply",
                new Dictionary<string, string> { ["Body"] = body, ["action"] = "envoyer" }, "/messages");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(error, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        Assert.Equal(before, await MessageCountAsync(conversationId));
        var exact = string.Concat(Enumerable.Repeat("123456789\r\n", 400))[..4399];
        var accepted = await BoucleApp.PostFormAsync(asker, $"/messages/{conversationId}?handler=Reply",
            new Dictionary<string, string> { ["Body"] = exact, ["action"] = "envoyer" }, "/messages");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(before + 1, await MessageCountAsync(conversationId));
    }

    [Fact]
    public async Task The_21st_message_of_a_person_within_ten_minutes_is_refused()
    {
        var conversationId = await StartAsync("mairie-prigonrieux", "ressourcerie-grenier-solidaire", "Message 1");
        var asker = await app.SignedInAsync(Demo("mairie-prigonrieux"));
        for (var i = 2; i <= 20; i++)
        {
            var sent = await BoucleApp.PostFormAsync(asker, $"/messages/{conversationId}?handler=Reply",
                new Dictionary<string, string> { ["Body"] = $"Message {i}", ["action"] = "envoyer" }, "/messages");
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }

        var refused = await BoucleApp.PostFormAsync(asker, $"/messages/{conversationId}?handler=Reply",
            new Dictionary<string, string> { ["Body"] = "Message 21", ["action"] = "envoyer" }, "/messages");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("20 messages en 10 minutes", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(20, await MessageCountAsync(conversationId));
        Assert.False(await app.ScopedAsync(db => db.Set<Message>().AnyAsync(m => m.Body == "Message 21")));

        // The limit is per person: the other organisation can still answer.
        var owner = await app.SignedInAsync(Demo("ressourcerie-grenier-solidaire"));
        var answer = await BoucleApp.PostFormAsync(owner, $"/messages/{conversationId}?handler=Reply",
            new Dictionary<string, string> { ["Body"] = "Doucement !", ["action"] = "envoyer" }, "/messages");
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
    }

    [Fact]
    public async Task A_message_with_markup_is_shown_encoded()
    {
        const string body = "<script>alert('x')</script>\n<b>gras</b>";
        var conversationId = await StartAsync("hotel-clos-des-pruniers", "vignerons-de-pomport", body);
        var owner = await app.SignedInAsync(Demo("vignerons-de-pomport"));
        foreach (var url in new[] { $"/messages/{conversationId}", "/messages" })
        {
            var html = await owner.GetStringAsync(url);
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>gras", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(", html, StringComparison.Ordinal);
        }

        var thread = await owner.GetStringAsync($"/messages/{conversationId}");
        Assert.Contains("class=\"message-body\"", thread, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", thread, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Canned_replies_work_without_javascript_and_a_report_is_stored_for_the_facilitators()
    {
        var conversationId = await StartAsync("earl-noyers-lunas", "biogaz-trois-vallees", "Prenez-vous des coques de noix ?");
        var owner = await app.SignedInAsync(Demo("biogaz-trois-vallees"));
        var before = await MessageCountAsync(conversationId);

        // "Insérer" fills the field and sends nothing.
        var inserted = await BoucleApp.PostFormAsync(owner, $"/messages/{conversationId}?handler=Reply",
            new Dictionary<string, string> { ["Body"] = "", ["Template"] = "disponible", ["action"] = "inserer" }, "/messages");
        Assert.Contains("Encore disponible, quand passez-vous ?</textarea>", WebUtility.HtmlDecode(await inserted.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(before, await MessageCountAsync(conversationId));

        // An empty body with a template chosen sends the template.
        var sent = await BoucleApp.PostFormAsync(owner, $"/messages/{conversationId}?handler=Reply",
            new Dictionary<string, string> { ["Body"] = "", ["Template"] = "deja-donne", ["action"] = "envoyer" }, "/messages");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.True(await app.ScopedAsync(db => db.Set<Message>().AnyAsync(m => m.ConversationId == conversationId && m.Body == "Déjà donné, désolé.")));

        var noReason = await BoucleApp.PostFormAsync(owner, $"/messages/{conversationId}?handler=Report", new Dictionary<string, string> { ["ReportReason"] = " " }, "/messages");
        Assert.Contains("Expliquez en quelques mots", WebUtility.HtmlDecode(await noReason.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var report = await BoucleApp.PostFormAsync(owner, $"/messages/{conversationId}?handler=Report",
            new Dictionary<string, string> { ["ReportReason"] = "Démarchage commercial insistant." }, "/messages");
        Assert.Equal(HttpStatusCode.Redirect, report.StatusCode);
        var stored = await app.ScopedAsync(db => db.Set<Report>().SingleAsync(r => r.TargetType == "conversation" && r.TargetId == conversationId));
        Assert.Equal(ReportStatus.Open, stored.Status);
        Assert.Equal("Démarchage commercial insistant.", stored.Reason);
        Assert.Equal(await app.ScopedAsync(db => db.Organisations.Where(o => o.ExternalKey == "earl-noyers-lunas").Select(o => (int?)o.Id).SingleAsync()), stored.ReportedOrganisationId);
    }

    private static string Demo(string key) => $"{key}@demo.example.org";

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private Task<string> OrganisationNameAsync(string key) =>
        app.ScopedAsync(db => db.Organisations.Where(o => o.ExternalKey == key).Select(o => o.Name).SingleAsync());

    private Task<(int Id, string OrganisationName)> PublishedListingAsync(string key) =>
        app.ScopedAsync(async db =>
        {
            var l = await db.Listings.Where(l => l.Organisation!.ExternalKey == key && l.Status == ListingStatus.Published)
                .OrderBy(l => l.Id).Select(l => new { l.Id, l.Organisation!.Name }).FirstAsync();
            return (l.Id, l.Name);
        });

    private Task<int> MessageCountAsync(int conversationId) =>
        app.ScopedAsync(db => db.Set<Message>().CountAsync(m => m.ConversationId == conversationId));

    /// The asker's owner writes about the first published listing of the owner organisation.
    private async Task<int> StartAsync(string askerKey, string ownerKey, string body)
    {
        var (listingId, _) = await PublishedListingAsync(ownerKey);
        var asker = await app.SignedInAsync(Demo(askerKey));
        var response = await BoucleApp.PostFormAsync(asker, "/messages/nouvelle",
            new Dictionary<string, string> { ["annonce"] = Id(listingId), ["Body"] = body }, $"/annonces/{listingId}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await app.ScopedAsync(db => db.Set<Conversation>().Where(c => c.ListingId == listingId
            && c.AskerOrganisation!.ExternalKey == askerKey).Select(c => c.Id).SingleAsync());
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "La condition attendue n'est pas arrivée.");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkRegex();
}

public sealed class MessagingTestsOnSqlite(SqliteApp app) : MessagingTests<SqliteApp>(app);

public sealed class MessagingTestsOnPostgres(PostgresApp app) : MessagingTests<PostgresApp>(app);
