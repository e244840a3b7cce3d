using System.Security.Cryptography;

namespace Boucle.Web.Data;

/// The demo facilitator and administrator must use two-factor authentication like real ones; their
/// authenticator key is public (it is a demo): add it to an authenticator app, or let tests compute
/// the code. RFC 6238 with the parameters of ASP.NET Core Identity (SHA-1, 30 s, 6 digits).
public static class DemoAuthenticator
{
    /// Base32, as shown to a person setting up an authenticator app.
    public const string Key = "BOUCLEDEMOAUTHENTICATORKEY234567";

    public static string CodeAt(DateTimeOffset time, string base32Key = Key)
    {
        var counter = (ulong)(time.ToUnixTimeSeconds() / 30);
        var message = new byte[8];
        for (var i = 7; i >= 0; i--)
        {
            message[i] = (byte)(counter & 0xff);
            counter >>= 8;
        }

        // RFC 6238's default, what authenticator apps and Identity use: HMAC-SHA1 is sound as a MAC.
#pragma warning disable CA5350
        var hash = HMACSHA1.HashData(Base32Decode(base32Key), message);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32Decode(string input)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = input.TrimEnd('=').Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var output = new List<byte>(clean.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"Caractère base32 invalide : {c}");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
