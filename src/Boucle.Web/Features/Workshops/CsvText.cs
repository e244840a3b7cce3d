using System.Globalization;
using System.Text;

namespace Boucle.Web.Features.Workshops;

/// RFC 4180 CSV for the exports of workshops and deposits, readable by a spreadsheet in French.
public static class CsvText
{
    public static string Line(params object?[] cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    public static byte[] Utf8WithBom(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];

    private static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            double d => d.ToString("0.###", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

        // A cell starting like a formula is not run by the spreadsheet (CSV injection).
        if (text.Length > 0 && value is string && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal))
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
