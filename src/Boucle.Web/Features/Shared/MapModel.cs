namespace Boucle.Web.Features.Shared;

public sealed record MapModel(string Id, double Latitude, double Longitude, int Zoom, string GeoJsonUrl, string TileUrl, string Attribution, string Label, bool Fit = false);
