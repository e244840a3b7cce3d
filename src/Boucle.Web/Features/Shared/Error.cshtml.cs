using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Shared;

[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Une erreur est survenue";
    public string Explanation { get; private set; } = "Le problème a été enregistré. Réessayez dans un instant.";

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
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
