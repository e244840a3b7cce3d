namespace Boucle.Web.Features.Reference;

public static class Geo
{
    private const double EarthRadiusKm = 6371.0088;

    /// Great-circle distance; both databases only pre-select candidates, this gives the figure shown.
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// A latitude/longitude box that contains the circle of the given radius.
    public static (double MinLat, double MaxLat, double MinLon, double MaxLon) BoundingBox(double lat, double lon, double radiusKm)
    {
        var dLat = radiusKm / 111.195;
        var cos = Math.Max(0.01, Math.Cos(lat * Math.PI / 180));
        var dLon = radiusKm / (111.195 * cos);
        return (lat - dLat, lat + dLat, lon - dLon, lon + dLon);
    }
}
