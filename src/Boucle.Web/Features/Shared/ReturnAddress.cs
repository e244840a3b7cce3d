namespace Boucle.Web.Features.Shared;

/// Where a form may send a person back: a path of this site, written as browsers send it (printable ASCII,
/// other letters percent-encoded). An absolute or protocol-relative address is refused, and so is a raw
/// character that a Location header cannot carry: "¿" made the redirect throw (a 500 found by wapiti).
public static class ReturnAddress
{
    public static string? Local(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && url.All(c => c is > ' ' and <= '~')
            ? url
            : null;
}
