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

    private async Task AssertNoHorizontalScrollAsync()
    {
        var sizes = await Page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
        var (scroll, width) = (sizes[0], sizes[1]);
        if (scroll > width)
        {
            // Name what sticks out, to find it without a screenshot.
            var wide = await Page.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)" +
                ".slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' right=' + Math.round(e.getBoundingClientRect().right))");
            Assert.Fail($"{new Uri(Page.Url).PathAndQuery} scrolls sideways at {width} px: {scroll} px wide. Wider elements: {string.Join(", ", wide)}");
        }
    }
}
