using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class MessagingJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Mushroom_grower_contacts_the_roastery_which_answers_with_a_canned_reply()
    {
        var listingId = await Server.DemoListingIdAsync("o-marc-cafe-brulerie");
        var question = "Bonjour, nous cultivons des pleurotes sur marc de café : pouvons-nous passer vendredi ? " + BoucleServer.UniqueTag();

        // The mushroom grower writes from the coffee-grounds listing.
        var grower = Page;
        await SignInAsDemoOwnerAsync("champignons-des-falaises");
        await GoAsync($"/annonces/{listingId}");
        var contact = Page.Locator("section.contact-block");
        await Expect(contact.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("Écrire à Brûlerie des Quais");
        await contact.GetByLabel("Votre premier message").FillAsync(question);
        await SubmitAsync(Button("Contacter Brûlerie des Quais"));

        await Expect(Page).ToHaveURLAsync(new Regex(@"/messages/\d+#message-\d+$"));
        var threadPath = new Uri(Page.Url).AbsolutePath;
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Conversation avec Brûlerie des Quais");
        var messages = Page.Locator("ol.message-list > li");
        await Expect(messages).ToHaveCountAsync(1);
        await Expect(messages.First).ToHaveClassAsync(new Regex(@"\bmine\b"));
        await Expect(messages.First.Locator(".message-body")).ToHaveTextAsync(question);

        // Back on the listing, the form gives way to the conversation.
        await GoAsync($"/annonces/{listingId}");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Voir votre conversation avec Brûlerie des Quais" })).ToHaveAttributeAsync("href", threadPath);
        await Expect(Page.GetByLabel("Votre premier message")).ToHaveCountAsync(0);

        // The roastery's owner, in another browser, sees one unread conversation.
        var roaster = await NewPersonAsync();
        ActAs(roaster);
        await SignInAsDemoOwnerAsync("brulerie-des-quais");
        var nav = Page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Messages (1)", Exact = true })).ToBeVisibleAsync();
        await SubmitAsync(nav.GetByRole(AriaRole.Link, new() { Name = "Messages (1)", Exact = true }));
        await Expect(Page).ToHaveURLAsync(new Regex("/messages$"));
        var conversation = Page.Locator("ul.conversation-list > li").Filter(new() { HasText = "Les Champignons des Falaises" });
        await Expect(conversation).ToHaveClassAsync(new Regex(@"\bunread\b"));
        await Expect(conversation.Locator(".badge.unread-count")).ToHaveTextAsync("1 non lu");
        await Expect(conversation.Locator(".listing-meta").First).ToContainTextAsync("Annonce : Marc de café frais, environ 60 kg par semaine");
        await Expect(conversation.Locator(".conversation-last")).ToContainTextAsync("Bonjour, nous cultivons des pleurotes");

        await SubmitAsync(conversation.GetByRole(AriaRole.Link, new() { Name = "Les Champignons des Falaises" }));
        await Expect(Page).ToHaveURLAsync(new Regex(Regex.Escape(threadPath) + "$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Conversation avec Les Champignons des Falaises");
        await Expect(Page.Locator("ol.message-list > li.theirs .message-body")).ToHaveTextAsync(question);
        // Reading the thread clears the counter.
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Messages (0)", Exact = true })).ToBeVisibleAsync();

        // A canned reply, sent as is with an empty message.
        await Page.GetByLabel("Réponse toute prête").SelectOptionAsync(new SelectOptionValue { Label = "Encore disponible, quand passez-vous ?" });
        await SubmitAsync(Button("Envoyer"));
        await Expect(Page).ToHaveURLAsync(new Regex(Regex.Escape(threadPath) + @"#message-\d+$"));
        var mine = Page.Locator("ol.message-list > li.mine");
        await Expect(mine).ToHaveCountAsync(1);
        await Expect(mine.Locator(".message-body")).ToHaveTextAsync("Encore disponible, quand passez-vous ?");

        // The grower sees the answer: counter in the navigation, then the thread.
        ActAs(grower);
        await GoAsync("/messages");
        await Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" })
            .GetByRole(AriaRole.Link, new() { Name = "Messages (1)", Exact = true })).ToBeVisibleAsync();
        await SubmitAsync(Page.Locator("ul.conversation-list").GetByRole(AriaRole.Link, new() { Name = "Brûlerie des Quais" }));
        var thread = Page.Locator("ol.message-list > li");
        await Expect(thread).ToHaveCountAsync(2);
        await Expect(thread.Nth(1)).ToHaveClassAsync(new Regex(@"\btheirs\b"));
        await Expect(thread.Nth(1).Locator(".message-body")).ToHaveTextAsync("Encore disponible, quand passez-vous ?");
        await Expect(thread.Nth(1).Locator(".message-meta")).ToContainTextAsync("(Brûlerie des Quais)");
    }
}
