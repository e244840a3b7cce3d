using Microsoft.AspNetCore.Identity;

namespace Boucle.Web.Features.Accounts;

/// The published list of the most common passwords (SecLists' top million, taken from npm at build
/// time; see CommonPasswords.md). Only entries as long as the shortest password accepted can ever
/// match, so only those are kept in memory: about 44,000 of the million.
public sealed class CommonPasswords
{
    public const int MinimumLength = 12;

    private readonly Lazy<HashSet<string>> _set;

    public CommonPasswords(string? file = null)
    {
        var path = file ?? DefaultFile;
        _set = new Lazy<HashSet<string>>(() =>
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException("Liste des mots de passe courants introuvable (npm ci a-t-il tourné ?).", path);
            }

            var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in File.ReadLines(path))
            {
                var entry = line.Trim();
                if (entry.Length >= MinimumLength)
                {
                    set.Add(entry);
                }
            }

            return set;
        });
    }

    public static string DefaultFile => Path.Combine(AppContext.BaseDirectory, "Data", "CommonPasswords", "top-1m.txt");

    public int Count => _set.Value.Count;

    /// True when the password, ignoring case and surrounding spaces, is on the list.
    public bool Contains(string password) => _set.Value.Contains(password.Trim());
}

/// Refuses a password found on the list of common passwords, whatever its length.
public sealed class CommonPasswordValidator(CommonPasswords list) : IPasswordValidator<AppUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(password is not null && list.Contains(password)
            ? IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordCommon",
                Description = "Ce mot de passe figure parmi les plus courants (il serait deviné vite) : choisissez-en un autre, par exemple une phrase de quelques mots.",
            })
            : IdentityResult.Success);
}
