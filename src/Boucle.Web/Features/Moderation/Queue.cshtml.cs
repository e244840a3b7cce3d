using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Moderation;

/// The facilitators' moderation queue: reports, listings waiting for review, appeals, pre-moderation.
[Authorize]
public sealed class QueueModel(ModerationService moderation) : PageModel
{
    public ModerationQueue Queue { get; private set; } = new([], [], [], []);
    public string? Message { get; private set; }

    /// Which form the error belongs to ("remove-12", "refuse-40", ...), so that it shows next to its field.
    public string? ErrorForm { get; private set; }
    public string? Error { get; private set; }
    public string? TypedText { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var territories = await moderation.ModeratedTerritoriesAsync(ct);
        if (territories.Count == 0)
        {
            return Forbid();
        }

        Queue = await moderation.QueueAsync(territories, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDismissAsync(int reportId, CancellationToken ct) =>
        await AfterAsync(await moderation.DismissReportAsync(reportId, ct), $"dismiss-{reportId}", null, ct);

    public async Task<IActionResult> OnPostRemoveAsync(int listingId, int? reportId, string? reason, CancellationToken ct) =>
        await AfterAsync(await moderation.RemoveListingAsync(listingId, reportId, reason, BaseUrl, ct), $"remove-{reportId}", reason, ct);

    public async Task<IActionResult> OnPostReviewAsync(int listingId, string? decision, string? reason, CancellationToken ct) =>
        await AfterAsync(await moderation.ReviewListingAsync(listingId, decision == "approve", reason, BaseUrl, ct), $"review-{listingId}", reason, ct);

    public async Task<IActionResult> OnPostAppealAsync(int decisionId, string? decision, string? note, CancellationToken ct) =>
        await AfterAsync(await moderation.DecideAppealAsync(decisionId, decision == "reinstate", note, BaseUrl, ct), $"appeal-{decisionId}", note, ct);

    public async Task<IActionResult> OnPostPreModerationAsync(int territoryId, bool enabled, CancellationToken ct) =>
        await AfterAsync(await moderation.SetPreModerationAsync(territoryId, enabled, ct), $"premoderation-{territoryId}", null, ct);

    private string BaseUrl => $"{Request.Scheme}://{Request.Host}";

    private async Task<IActionResult> AfterAsync(Outcome outcome, string form, string? typed, CancellationToken ct)
    {
        switch (outcome.Kind)
        {
            case OutcomeKind.NotFound:
                return NotFound();
            case OutcomeKind.Forbidden:
                return Forbid();
            case OutcomeKind.Invalid:
                ErrorForm = form;
                Error = outcome.Message;
                TypedText = typed;
                break;
            default:
                Message = outcome.Message;
                break;
        }

        return await OnGetAsync(ct);
    }
}
