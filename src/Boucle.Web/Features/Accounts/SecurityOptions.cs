namespace Boucle.Web.Features.Accounts;

/// Session and abuse limits, under Boucle:Security (see README, "Security and privacy").
public sealed class SecurityOptions
{
    /// A session ends after this much inactivity (sliding: each request renews it).
    public int IdleMinutes { get; set; } = 30;

    /// And in any case this long after sign-in.
    public int AbsoluteHours { get; set; } = 12;

    /// How often a session checks that the password or the second factor has not changed
    /// (a change signs out every other session within this delay).
    public int StampCheckSeconds { get; set; } = 60;

    /// Messages, photo uploads (listing forms) and API token creations per person and minute.
    public int WritesPerMinute { get; set; } = 20;
}
