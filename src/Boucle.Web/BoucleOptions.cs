namespace Boucle.Web;

/// Settings under "Boucle" (command-line options, environment BOUCLE__..., appsettings).
public sealed class BoucleOptions
{
    public string DataDir { get; set; } = ".boucle";

    /// A PostgreSQL connection string; empty means SQLite in the data directory.
    public string? Database { get; set; }
    public bool NoDemo { get; set; }

    /// Absolute address used in e-mails; defaults to the address of the request that caused them.
    public string? PublicUrl { get; set; }

    /// Map tiles; the map degrades to a plain list of points when they cannot load.
    public string TileUrl { get; set; } = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    public string TileAttribution { get; set; } = "© contributeurs OpenStreetMap";

    public SmtpOptions Smtp { get; set; } = new();

    /// Sign-in, sign-up and password-reset posts allowed per client address and minute.
    public int AccountFormsPerMinute { get; set; } = 10;

    /// API requests allowed per client address and 10 seconds (twice as many in a burst).
    public int ApiRequestsPer10Seconds { get; set; } = 300;

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(Database);

    public string FullDataDir => Path.GetFullPath(DataDir);
}

public sealed class SmtpOptions
{
    /// Empty: messages are written as .eml files to the pickup folder under the data directory.
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public bool StartTls { get; set; }
    public string From { get; set; } = "Boucle <ne-pas-repondre@boucle.local>";
}
