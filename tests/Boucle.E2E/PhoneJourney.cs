using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class PhoneJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Home_page_and_publication_form_fit_a_375_pixel_phone()
    {
        await Page.SetViewportSizeAsync(375, 812);

        await GoAsync("/");
        await AssertNoHorizontalScrollAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeInViewportAsync();

        await GoAsync("/annonces?q=palette");
        await AssertNoHorizontalScrollAsync();

        await SignInAsDemoOwnerAsync("jardin-partage-creysse");
        await AssertNoHorizontalScrollAsync();
        await GoAsync("/annonces/nouvelle");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Publier une annonce");
        await AssertNoHorizontalScrollAsync();
        // Errors must fit too.
        await SubmitAsync(Button("Publier"));
        await Expect(FieldError("Input_Title")).ToHaveTextAsync("Donnez un titre à l'annonce.");
        await AssertNoHorizontalScrollAsync();
    }
}
