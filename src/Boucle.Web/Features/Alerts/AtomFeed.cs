using System.Globalization;
using System.Text;
using System.Xml;
using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Alerts;

/// The Atom 1.0 feed of a saved search (RFC 4287), at an address only its owner knows.
public static class AtomFeed
{
    private const string Ns = "http://www.w3.org/2005/Atom";

    public static async Task<IResult> GetAsync(string token, HttpContext http, AppDbContext db, ListingSearch search, IOptions<BoucleOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (token.Length is 0 or > 64)
        {
            return Results.NotFound();
        }

        var saved = await db.Set<SavedSearch>().AsNoTracking().SingleOrDefaultAsync(s => s.FeedToken == token, ct);
        if (saved is null)
        {
            return Results.NotFound();
        }

        var page = await search.SearchAsync(saved.ToQuery() with { Sort = ListingSort.Date, PageSize = 50 }, ct);
        var baseUrl = options.Value.PublicUrl?.TrimEnd('/') ?? $"{http.Request.Scheme}://{http.Request.Host}";
        var xml = Write(saved, page.Items, baseUrl, time.GetUtcNow().UtcDateTime);
        http.Response.Headers["X-Robots-Tag"] = "noindex";
        return Results.Text(xml, "application/atom+xml; charset=utf-8", Encoding.UTF8);
    }

    public static string Write(SavedSearch saved, IReadOnlyList<ListingSummary> items, string baseUrl, DateTime now)
    {
        var self = $"{baseUrl}/alertes/{saved.FeedToken}.atom";
        var updated = items.Select(i => i.PublishedAt).Max() ?? saved.CreatedAt;
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8, OmitXmlDeclaration = false }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("feed", Ns);
            w.WriteAttributeString("xml", "lang", null, "fr");
            w.WriteElementString("id", Ns, self);
            w.WriteElementString("title", Ns, Clean($"Boucle : {saved.Name}"));
            w.WriteElementString("subtitle", Ns, "Les dernières annonces qui répondent à votre recherche enregistrée.");
            w.WriteElementString("updated", Ns, Rfc3339(updated == default ? now : updated));
            Link(w, self, "self", "application/atom+xml");
            Link(w, baseUrl + saved.BrowseUrl(), "alternate", "text/html");
            w.WriteStartElement("author", Ns);
            w.WriteElementString("name", Ns, "Boucle");
            w.WriteEndElement();
            w.WriteElementString("generator", Ns, "Boucle");
            foreach (var l in items)
            {
                var url = $"{baseUrl}/annonces/{l.Id}";
                w.WriteStartElement("entry", Ns);
                w.WriteElementString("id", Ns, url);
                w.WriteElementString("title", Ns, Clean($"{ListingLabels.Fr(l.Type)} : {l.Title}"));
                w.WriteElementString("updated", Ns, Rfc3339(l.PublishedAt ?? saved.CreatedAt));
                if (l.PublishedAt is { } published)
                {
                    w.WriteElementString("published", Ns, Rfc3339(published));
                }

                Link(w, url, "alternate", "text/html");
                w.WriteStartElement("author", Ns);
                w.WriteElementString("name", Ns, Clean(l.OrganisationName));
                w.WriteEndElement();
                if (l.CategoryLabel is not null)
                {
                    w.WriteStartElement("category", Ns);
                    w.WriteAttributeString("term", l.CategoryCode);
                    w.WriteAttributeString("label", Clean(l.CategoryLabel));
                    w.WriteEndElement();
                }

                var summary = string.Join(" · ", new[] { l.OrganisationName, l.Commune, l.Description }.Where(s => !string.IsNullOrWhiteSpace(s)));
                w.WriteStartElement("summary", Ns);
                w.WriteAttributeString("type", "text");
                w.WriteString(Clean(summary.Length > 500 ? summary[..500] + "…" : summary));
                w.WriteEndElement();
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndDocument();
        }

        // StringBuilder output declares utf-16; the response is UTF-8.
        return sb.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    private static void Link(XmlWriter w, string href, string rel, string type)
    {
        w.WriteStartElement("link", Ns);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("type", type);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }

    /// Characters XML cannot carry at all (control characters) are dropped; markup is escaped by the writer.
    private static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                sb.Append(text, i, 2);
                i++;
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                sb.Append(text[i]);
            }
        }

        return sb.ToString();
    }

    private static string Rfc3339(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
