using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Boucle.Web.Features.Listings;

public sealed record StoredPhoto(string FileName, int Width, int Height);

/// Listing photos: the type comes from the content, never from the name or the browser; every
/// photo is decoded and re-encoded (which drops EXIF, GPS included) and stored outside the web
/// root under a generated name, with a thumbnail.
public sealed class PhotoStore(IOptions<BoucleOptions> options)
{
    public const long MaxBytes = 8 * 1024 * 1024;
    public const int MaxPhotos = 6;
    private const long MaxPixels = 40_000_000;
    private const int MaxSide = 1600;
    private const int ThumbSide = 480;

    private string Folder => Path.Combine(options.Value.FullDataDir, "photos");

    /// Returns the stored photo, or a French error for the person who sent it.
    public async Task<(StoredPhoto? Photo, string? Error)> SaveAsync(IFormFile file, CancellationToken ct)
    {
        if (file.Length == 0)
        {
            return (null, "Le fichier est vide.");
        }

        if (file.Length > MaxBytes)
        {
            return (null, "La photo dépasse 8 Mo.");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Webp))
        {
            return (null, "Formats acceptés : JPEG, PNG ou WebP.");
        }

        if ((long)codec.Info.Width * codec.Info.Height > MaxPixels || codec.Info.Width < 1 || codec.Info.Height < 1)
        {
            return (null, "L'image est trop grande (40 mégapixels au plus).");
        }

        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null)
        {
            return (null, "L'image est illisible.");
        }

        using var oriented = Orient(decoded, codec.EncodedOrigin);
        var name = $"{Guid.NewGuid():N}";
        Directory.CreateDirectory(Folder);
        var (width, height) = await WriteAsync(oriented, MaxSide, Path.Combine(Folder, name + ".jpg"), ct);
        await WriteAsync(oriented, ThumbSide, Path.Combine(Folder, name + ".thumb.jpg"), ct);
        return (new StoredPhoto(name + ".jpg", width, height), null);
    }

    public string? PathOf(string fileName)
    {
        // Only names this store generated: 32 hex digits, optional ".thumb", ".jpg".
        var bare = fileName.EndsWith(".thumb.jpg", StringComparison.Ordinal) ? fileName[..^10] : fileName.EndsWith(".jpg", StringComparison.Ordinal) ? fileName[..^4] : null;
        if (bare is not { Length: 32 } || !bare.All(Uri.IsHexDigit))
        {
            return null;
        }

        var path = Path.Combine(Folder, fileName);
        return File.Exists(path) ? path : null;
    }

    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        // Re-encoding drops the EXIF orientation, so it is applied to the pixels first.
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            return source.Copy();
        }

        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(swap ? source.Height : source.Width, swap ? source.Width : source.Height);
        using var canvas = new SKCanvas(result);
        switch (origin)
        {
            case SKEncodedOrigin.BottomRight:
                canvas.RotateDegrees(180, source.Width / 2f, source.Height / 2f);
                break;
            case SKEncodedOrigin.RightTop:
                canvas.Translate(result.Width, 0);
                canvas.RotateDegrees(90);
                break;
            case SKEncodedOrigin.LeftBottom:
                canvas.Translate(0, result.Height);
                canvas.RotateDegrees(270);
                break;
            default:
                break;
        }

        canvas.DrawBitmap(source, 0, 0);
        return result;
    }

    private static async Task<(int Width, int Height)> WriteAsync(SKBitmap bitmap, int maxSide, string path, CancellationToken ct)
    {
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(bitmap.Width, bitmap.Height));
        var width = Math.Max(1, (int)Math.Round(bitmap.Width * scale));
        var height = Math.Max(1, (int)Math.Round(bitmap.Height * scale));
        using var resized = scale < 1 ? bitmap.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKCubicResampler.Mitchell)) : bitmap.Copy();
        using var image = SKImage.FromBitmap(resized);
        using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, 85);
        await using var output = File.Create(path);
        encoded.SaveTo(output);
        await output.FlushAsync(ct);
        return (width, height);
    }
}

public static class PhotoEndpoints
{
    public static IEndpointRouteBuilder MapPhotos(this IEndpointRouteBuilder app)
    {
        app.MapGet("/photos/{name}", (string name, PhotoStore store, HttpContext context) =>
        {
            var path = store.PathOf(name);
            if (path is null)
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.File(path, "image/jpeg");
        }).ExcludeFromDescription();
        return app;
    }
}
