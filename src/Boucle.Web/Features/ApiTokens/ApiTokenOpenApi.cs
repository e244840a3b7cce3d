using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Boucle.Web.Features.ApiTokens;

/// Declares the personal access token in the OpenAPI document: a Bearer scheme, required by exactly
/// the endpoints that need a token (those under the token policy), so that clients and the /api page
/// show which calls need `Authorization: Bearer`.
public static class ApiTokenOpenApi
{
    public const string SchemeName = "bearer";

    public static IServiceCollection AddApiTokenOpenApi(this IServiceCollection services, string documentName = "v1")
    {
        services.Configure<OpenApiOptions>(documentName, o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "jeton personnel Boucle",
                    Description = "Jeton d'accès personnel, créé et révoqué dans les paramètres du compte (page « Jetons d'API »). Il agit pour l'organisation choisie à sa création.",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var needsToken = context.Description.ActionDescriptor.EndpointMetadata
                    .OfType<IAuthorizeData>().Any(a => a.Policy == ApiTokenFormat.Scheme);
                if (needsToken)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Jeton absent, invalide ou révoqué." });
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }
}
