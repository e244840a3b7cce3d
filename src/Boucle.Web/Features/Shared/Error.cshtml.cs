using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Shared;

[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Une erreur est survenue";
    public string Explanation { get; private set; } = "Le problème a été enregistré. Réessayez dans un instant.";

    public void OnGet() => Describe();

    public void OnPost() => Describe();

    // The code is read from the query string by hand: model binding would also read the form, and
    // MVC throws when a form whose antiforgery token failed is read. The re-executed error page of
    // every post with a bad token was a 500 (found by wapiti in security/scan.sh).
    private void Describe()
    {
        int? code = int.TryParse(Request.Query["code"], out var value) ? value : null;
        (Title, Explanation) = code switch
        {
            404 => ("Page introuvable", "Cette page n'existe pas ou n'est pas visible pour vous."),
            403 => ("Accès refusé", "Vous n'avez pas les droits pour cette action."),
            400 => ("Demande incorrecte", "La demande n'a pas pu être comprise. Rechargez la page et réessayez."),
            429 => ("Trop de demandes", "Patientez un instant avant de recommencer."),
            _ => (Title, Explanation),
        };
    }
}
