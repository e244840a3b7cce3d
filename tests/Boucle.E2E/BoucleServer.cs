using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Boucle.E2E;

/// The application on a real Kestrel port (SQLite in a fresh temporary folder, demo territory seeded,
/// e-mails written as .eml files) and one headless Chromium, shared by every journey.
public sealed class BoucleServer : IAsyncLifetime
{
    private WebApplicationFactory<Program>? factory;
    private IPlaywright? playwright;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "boucle-e2e-" + Guid.NewGuid().ToString("N")[..12]);

    public string MailDir => Path.Combine(DataDir, "mail");

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public IServiceProvider Services => factory!.Services;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDir);
        factory = new Factory(DataDir);
        factory.UseKestrel(0);
        factory.StartServer();
        BaseAddress = factory.ClientOptions.BaseAddress;

        // Debian's Chromium (apt-get install chromium): Playwright's own browser download needs the internet.
        var chromium = Environment.GetEnvironmentVariable("BOUCLE_E2E_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"No Chromium at {chromium}: install Debian's package (apt-get install chromium) or set BOUCLE_E2E_CHROMIUM.");
        }

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the WAL for a moment; the folder is in the temporary area anyway.
        }
    }

    /// A confirmed account made straight in the store: the journeys that are not about signing up
    /// start from it, so they stay independent and stay under the account forms' rate limit.
    public async Task<(string Email, string Password)> CreateConfirmedUserAsync(string displayName)
    {
        var email = UniqueEmail();
        const string password = "motdepasse-e2e-2026";
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var result = await users.CreateAsync(new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, CreatedAt = DateTime.UtcNow }, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return (email, password);
    }

    public async Task<bool> UserExistsAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var normalised = email.Trim().ToUpperInvariant();
        return await db.Users.AnyAsync(u => u.NormalizedEmail == normalised);
    }

    /// The id of a demo listing from its key in listings.csv (stored as ExternalKey).
    public async Task<int> DemoListingIdAsync(string key)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Listings.Where(l => l.ExternalKey == key).Select(l => l.Id).SingleAsync();
    }

    public static string UniqueEmail() => $"e2e-{Guid.NewGuid():N}@exemple.test";

    public static string UniqueTag() => Guid.NewGuid().ToString("N")[..8];
}

internal sealed class Factory(string dataDir) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Boucle:DataDir", dataDir);
        builder.UseSetting("Boucle:Database", "");
        builder.UseSetting("Boucle:NoDemo", "false");
        builder.UseSetting("Boucle:Smtp:Host", "");
        builder.UseSetting("Boucle:AccountFormsPerMinute", "1000");
    }
}

[CollectionDefinition(Name)]
public sealed class BoucleCollection : ICollectionFixture<BoucleServer>
{
    public const string Name = "Boucle";
}
