using Microsoft.AspNetCore.Identity;

namespace Boucle.Web.Features.Accounts;

public sealed class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }
    public bool IsAdministrator { get; set; }

    /// The organisation the person acts for when they belong to several.
    public int? CurrentOrganisationId { get; set; }
    public DateTime CreatedAt { get; set; }
}
