namespace Boucle.Web.Features.Organisations;

public static class Siret
{
    /// 14 digits whose Luhn checksum is valid. La Poste's establishments (SIREN 356000000) follow
    /// another rule: the sum of the digits is a multiple of 5.
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != 14 || !value.All(char.IsAsciiDigit))
        {
            return false;
        }

        if (value.StartsWith("356000000", StringComparison.Ordinal))
        {
            return value.Sum(c => c - '0') % 5 == 0;
        }

        var sum = 0;
        for (var i = 0; i < 14; i++)
        {
            var digit = value[13 - i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    public static string? Normalise(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : new string([.. value.Where(c => !char.IsWhiteSpace(c))]);
}
