using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Privacy;

public sealed class PolicyModel(IOptions<RetentionOptions> retention) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "supprime")] public bool Deleted { get; set; }

    public RetentionOptions Retention => retention.Value;

    public void OnGet()
    {
    }
}
