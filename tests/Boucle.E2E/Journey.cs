using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using MimeKit;
using Xunit.Abstractions;

namespace Boucle.E2E;

/// What every journey shares: a fresh browser context (own cookies), and after each page a
/// screenshot when BOUCLE_E2E_SCREENSHOTS names a folder, then an axe-core check (WCAG 2.1 A and AA).
[Collection(BoucleCollection.Name)]
public abstract partial class Journey(BoucleServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string? ScreenshotDir = Environment.GetEnvironmentVariable("BOUCLE_E2E_SCREENSHOTS");

    /// BOUCLE_E2E_REPORT_ONLY=1 prints axe violations and CSP reports instead of failing, to see
    /// the rest of a journey while a markup fix is pending. Off by default: the suite is strict.
    private static readonly bool ReportOnly = Environment.GetEnvironmentVariable("BOUCLE_E2E_REPORT_ONLY") is "1" or "true";
    private readonly List<string> pageErrors = [];
    private static int shot;

    protected BoucleServer Server { get; } = server;

    protected ITestOutputHelper Output { get; } = output;

    protected IBrowserContext Context { get; private set; } = null!;

    protected IPage Page { get; private set; } = null!;

    /// Journeys that test the markup itself (not the Content-Security-Policy) turn the policy off.
    protected virtual bool BypassCsp => false;

    private readonly List<IBrowserContext> contexts = [];

    public async Task InitializeAsync()
    {
        Page = await NewPersonAsync();
        Context = Page.Context;
    }

    public async Task DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }
    }

    /// Another person with their own browser context (own cookies), watched like the first one.
    /// Make them act with <see cref="ActAs"/>: the page helpers (GoAsync, SubmitAsync...) use the current page.
    protected async Task<IPage> NewPersonAsync()
    {
        var context = await Server.Browser.NewContextAsync(new()
        {
            BaseURL = Server.BaseAddress.ToString(),
            Locale = "fr-FR",
            ViewportSize = new() { Width = 1280, Height = 900 },
            BypassCSP = BypassCsp,
        });
        contexts.Add(context);
        context.SetDefaultTimeout(15_000);
        // Nothing leaves the machine: map tiles and any other outside address fail at once, as offline.
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.IsLoopback)
            {
                await route.ContinueAsync();
            }
            else
            {
                await route.AbortAsync("internetdisconnected");
            }
        });
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => pageErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                pageErrors.Add("CSP: " + message.Text);
            }
        };
        return page;
    }

    /// From now on the page helpers drive this person's page.
    protected void ActAs(IPage page)
    {
        Page = page;
        Context = page.Context;
    }

    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    protected static IPageAssertions Expect(IPage page) => Assertions.Expect(page);

    /// Opens a path of the site, expects a successful answer, then checks the page.
    protected async Task GoAsync(string path)
    {
        var response = await Page.GotoAsync(path);
        Assert.NotNull(response);
        Assert.True(response.Ok, $"GET {path} answered {response.Status}");
        await CheckPageAsync();
    }

    /// After a navigation: screenshot (if asked), no script error, no axe violation.
    protected async Task CheckPageAsync()
    {
        await Page.WaitForLoadStateAsync(LoadState.Load);
        var path = new Uri(Page.Url).PathAndQuery;
        if (!string.IsNullOrEmpty(ScreenshotDir))
        {
            Directory.CreateDirectory(ScreenshotDir);
            var name = $"{Interlocked.Increment(ref shot):D3}-{GetType().Name}-{SafeName().Replace(path, "_").Trim('_')}";
            if (name.Length > 120)
            {
                name = name[..120];
            }

            await Page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });
        }

        if (pageErrors.Count > 0)
        {
            var errors = $"Browser errors on {path}:\n" + string.Join("\n", pageErrors);
            pageErrors.Clear();
            Fail(errors);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await Page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Output.WriteLine($"axe {path}: {clock.ElapsedMilliseconds} ms");
        if (result.Violations.Length > 0)
        {
            var report = new StringBuilder($"axe-core: {result.Violations.Length} violation(s) on {path}\n");
            foreach (var v in result.Violations)
            {
                report.AppendLine($"- {v.Id} ({v.Impact}): {v.Help} {v.HelpUrl}");
                foreach (var node in v.Nodes)
                {
                    report.AppendLine($"    {node.Target}  {node.Html}");
                }
            }

            Fail(report.ToString());
        }
    }

    private void Fail(string message)
    {
        Output.WriteLine(message);
        if (ReportOnly)
        {
            Console.Error.WriteLine("[report only] " + message);
        }
        else
        {
            Assert.Fail(message);
        }
    }

    /// Clicks something that submits or navigates, waits for the next page and checks it.
    protected async Task SubmitAsync(ILocator button)
    {
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage page) => loaded.TrySetResult();
        Page.Load += OnLoad;
        try
        {
            await button.ClickAsync();
            await loaded.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            Page.Load -= OnLoad;
        }

        await CheckPageAsync();
    }

    protected ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// The error message rendered right after a form field (the span that follows the input).
    protected ILocator FieldError(string inputId) => Page.Locator($"#{inputId} + .field-error");

    protected async Task SignInAsync(string email, string password)
    {
        await GoAsync("/connexion");
        await Page.GetByLabel("Adresse e-mail").FillAsync(email);
        await Page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync(password);
        await SubmitAsync(Button("Se connecter"));
        if (Page.Url.Contains("/connexion/2fa", StringComparison.Ordinal))
        {
            // Facilitators and administrators: the second step, with the demo authenticator's code.
            await Page.GetByLabel("Code à 6 chiffres ou code de secours").FillAsync(Boucle.Web.Data.DemoAuthenticator.CodeAt(DateTimeOffset.UtcNow));
            await SubmitAsync(Button("Vérifier"));
        }

        await Expect(Page).ToHaveURLAsync(new Regex("/mon-espace$"));
    }

    /// Facilitators' and administrators' pages are under the "Animation" disclosure of the main navigation: opens it.
    protected async Task OpenFacilitatorMenuAsync()
    {
        var menu = Page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" }).Locator("details.nav-menu");
        if (await menu.GetAttributeAsync("open") is null)
        {
            await menu.Locator("summary").ClickAsync();
        }

        await Expect(menu).ToHaveAttributeAsync("open", "");
    }

    /// Signs in as the owner of a demo organisation (key from organisations.csv).
    protected Task SignInAsDemoOwnerAsync(string organisationKey) =>
        SignInAsync($"{organisationKey}@demo.example.org", Boucle.Web.Data.DemoSeeder.DemoPassword);

    /// A confirmed account created in the store, signed in through the form.
    protected async Task<string> SignInAsNewUserAsync(string displayName)
    {
        var (email, password) = await Server.CreateConfirmedUserAsync(displayName);
        await SignInAsync(email, password);
        return email;
    }

    /// Creates an organisation through its form with valid values; returns the organisation page's path.
    protected async Task<string> CreateOrganisationAsync(string name, string siret = "73282932000074")
    {
        await GoAsync("/structures/nouvelle");
        await FillOrganisationAsync(name, siret);
        await SubmitAsync(Button("Créer la structure"));
        await Expect(Page).ToHaveURLAsync(new Regex(@"/structures/\d+$"));
        return new Uri(Page.Url).AbsolutePath;
    }

    protected async Task FillOrganisationAsync(string name, string siret)
    {
        await Page.GetByLabel("Nom de la structure").FillAsync(name);
        await Page.GetByLabel("Type de structure").SelectOptionAsync(new SelectOptionValue { Label = "Entreprise" });
        await Page.GetByLabel("SIRET").FillAsync(siret);
        await Page.GetByLabel("Commune (nom, code postal ou code INSEE)").FillAsync("Bergerac");
    }

    /// Waits for the outbox sender to write the message to `to` and returns its text body.
    protected async Task<string> WaitForMailAsync(string to, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(Server.MailDir))
            {
                foreach (var file in Directory.GetFiles(Server.MailDir, "*.eml"))
                {
                    MimeMessage message;
                    try
                    {
                        message = await MimeMessage.LoadAsync(file);
                    }
                    catch (Exception ex) when (ex is FormatException or IOException)
                    {
                        continue; // still being written
                    }

                    if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
                    {
                        return message.TextBody ?? message.HtmlBody ?? "";
                    }
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No e-mail to {to} in {Server.MailDir}");
    }

    /// The current page at a 375 px phone width: checked again (screenshot, axe) and no sideways scroll;
    /// then back to the desktop width.
    protected async Task CheckAtPhoneWidthAsync()
    {
        await Page.SetViewportSizeAsync(375, 812);
        try
        {
            await CheckPageAsync();
            await AssertNoHorizontalScrollAsync();
        }
        finally
        {
            await Page.SetViewportSizeAsync(1280, 900);
        }
    }

    protected async Task AssertNoHorizontalScrollAsync()
    {
        var sizes = await Page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
        var (scroll, width) = (sizes[0], sizes[1]);
        if (scroll > width)
        {
            // Name what sticks out, to find it without a screenshot.
            var wide = await Page.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)" +
                ".slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' right=' + Math.round(e.getBoundingClientRect().right))");
            Fail($"{new Uri(Page.Url).PathAndQuery} scrolls sideways at {width} px: {scroll} px wide. Wider elements: {string.Join(", ", wide)}");
        }
    }

    [GeneratedRegex("[^A-Za-z0-9-]+")]
    private static partial Regex SafeName();
}
