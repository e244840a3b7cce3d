namespace Boucle.Web.Features.Synergies;

/// What the move form needs: the synergy as seen, where to come back, and the error of a failed move.
public sealed record MoveFormView(SynergyRow Row, string ReturnUrl, string? Field = null, string? Error = null, string? Note = null);
