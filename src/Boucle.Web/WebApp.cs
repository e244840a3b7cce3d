using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Alerts;
using Boucle.Web.Features.Api;
using Boucle.Web.Features.ApiTokens;
using Boucle.Web.Features.Deposits;
using Boucle.Web.Features.Email;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Health;
using Boucle.Web.Features.Impact;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Loop;
using Boucle.Web.Features.Messaging;
using Boucle.Web.Features.Moderation;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Privacy;
using Boucle.Web.Features.Reference;
using Boucle.Web.Features.Synergies;
using Boucle.Web.Features.Territories;
using Boucle.Web.Features.Workshops;
using Boucle.Web.Features.Workspace;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using Scalar.AspNetCore;

namespace Boucle.Web;

public static class WebApp
{
    public static async Task<int> RunAsync(string[] args, string? contentRoot)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = contentRoot });
        var env = Environment.GetEnvironmentVariable("BOUCLE_DATABASE");
        if (!string.IsNullOrWhiteSpace(env) && string.IsNullOrWhiteSpace(builder.Configuration["Boucle:Database"]))
        {
            builder.Configuration["Boucle:Database"] = env;
        }

        builder.Services.Configure<BoucleOptions>(builder.Configuration.GetSection("Boucle"));
        // Cookies, antiforgery and unsubscribe links outlive a restart: the keys live with the data.
        builder.Services.AddDataProtection().SetApplicationName("Boucle")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(builder.Configuration["Boucle:DataDir"] ?? ".boucle"), "keys")));
        builder.Services.AddSingleton(TimeProvider.System);
        // French text stays readable in the HTML source; encoding still neutralises markup.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.AddRazorPages(o => o.RootDirectory = "/Features")
            .AddViewLocalization()
            .AddMvcOptions(o =>
            {
                // Binding messages in French, next to the fields like every other error.
                var m = o.ModelBindingMessageProvider;
                m.SetAttemptedValueIsInvalidAccessor((value, _) => $"La valeur « {value} » n'est pas valide.");
                m.SetValueIsInvalidAccessor(value => $"La valeur « {value} » n'est pas valide.");
                m.SetValueMustBeANumberAccessor(_ => "Saisissez un nombre.");
                m.SetValueMustNotBeNullAccessor(_ => "Ce champ est obligatoire.");
                m.SetMissingBindRequiredValueAccessor(_ => "Ce champ est obligatoire.");
                m.SetMissingKeyOrValueAccessor(() => "Ce champ est obligatoire.");
                m.SetUnknownValueIsInvalidAccessor(_ => "Valeur non valide.");
                m.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"La valeur « {value} » n'est pas valide.");
                m.SetNonPropertyUnknownValueIsInvalidAccessor(() => "Valeur non valide.");
                m.SetNonPropertyValueMustBeANumberAccessor(() => "Saisissez un nombre.");
                m.SetMissingRequestBodyRequiredValueAccessor(() => "Le formulaire est vide.");
                o.ModelBinderProviders.Insert(0, new Features.Shared.CheckboxBinderProvider());
            });
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Boucle API";
            doc.Info.Description = "Annonces (offres et besoins), synergies et impact d'un territoire en écologie industrielle et territoriale.";
            return Task.CompletedTask;
        }));

        builder.Services.AddRateLimits();
        builder.Services.AddBoucleDatabase();
        builder.Services.AddReferenceData();
        builder.Services.AddAccounts(builder.Configuration);
        builder.Services.AddPrivacy(builder.Configuration);
        builder.Services.AddEmail();
        builder.Services.AddListings();
        builder.Services.AddOrganisations();
        builder.Services.AddSynergies();
        builder.Services.AddExchanges();
        builder.Services.AddApiTokens();
        builder.Services.AddMessaging();
        builder.Services.AddAlerts();
        builder.Services.AddModeration();
        builder.Services.AddLoop();
        builder.Services.AddWorkspace();
        builder.Services.AddTerritories();
        builder.Services.AddWorkshops();
        builder.Services.AddDeposits();
        builder.Services.AddImpact();

        var app = builder.Build();

        // The API answers errors with ProblemDetails; pages with a French error page.
        app.UseWhen(c => IsApi(c), a =>
        {
            a.UseExceptionHandler();
            a.UseStatusCodePages();
        });
        app.UseWhen(c => !IsApi(c), a =>
        {
            a.UseExceptionHandler("/Error");
            a.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        });
        app.UseSecurityHeaders();
        app.UseRequestLocalization(o =>
        {
            var cultures = new[] { new CultureInfo("fr-FR"), new CultureInfo("en") };
            o.DefaultRequestCulture = new RequestCulture("fr-FR");
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseTwoFactorRequirement();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapRazorPages().WithStaticAssets();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api", o => o.WithTitle("Boucle API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapHealth();
        app.MapPhotos();
        app.MapCulture();
        app.MapAlerts();
        app.MapLoopExports();
        app.MapWorkspace();
        app.MapImpactExports();
        var api = app.MapGroup("/api/v1").WithTags("v1");
        api.MapListingsApi();
        api.MapListingsWriteApi();
        api.MapOrganisationsApi();
        api.MapSynergiesApi();
        api.MapReferenceApi();
        api.MapLoopApi();
        api.MapImpactApi();

        await app.RunAsync();
        return 0;
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api/v1");
}
