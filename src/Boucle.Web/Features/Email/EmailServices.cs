using Boucle.Web.Data;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Boucle.Web.Features.Email;

public static class EmailServices
{
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddScoped<Mailer>();
        services.AddHostedService<OutboxSender>();
        return services;
    }
}

/// Queues e-mails in the outbox of the current unit of work: they leave only if what caused them is saved.
public sealed class Mailer(AppDbContext db, TimeProvider time)
{
    public void Queue(string to, string subject, string text, string? html = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        db.Outbox.Add(new OutboxMessage { To = to, Subject = subject, TextBody = text, HtmlBody = html, CreatedAt = now, NextAttemptAt = now });
    }
}

/// Sends what the outbox holds, with retries spaced out after failures.
public sealed class OutboxSender(IServiceProvider services, IOptions<BoucleOptions> options, TimeProvider time, ILogger<OutboxSender> logger) : BackgroundService
{
    private const int MaxAttempts = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        do
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may still be migrating at start-up; the next tick tries again.
                logger.LogDebug(ex, "Envoi des e-mails reporté.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.Outbox.Where(m => m.SentAt == null && m.NextAttemptAt <= now && m.Attempts < MaxAttempts)
            .OrderBy(m => m.Id).Take(20).ToListAsync(ct);
        foreach (var message in due)
        {
            try
            {
                await DeliverAsync(message, ct);
                message.SentAt = time.GetUtcNow().UtcDateTime;
                message.LastError = null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                message.Attempts++;
                message.LastError = ex.Message.Length > 500 ? ex.Message[..500] : ex.Message;
                message.NextAttemptAt = now.AddSeconds(Math.Pow(2, message.Attempts) * 15);
                logger.LogWarning("Envoi de l'e-mail {Id} échoué (essai {Attempt}) : {Error}", message.Id, message.Attempts, message.LastError);
            }

            await db.SaveChangesAsync(ct);
        }

        return due.Count;
    }

    private async Task DeliverAsync(OutboxMessage message, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(smtp.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        mime.Body = body.ToMessageBody();
        mime.MessageId = $"outbox-{message.Id}-{message.CreatedAt.Ticks}@boucle.local";

        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            var pickup = Path.Combine(options.Value.FullDataDir, "mail");
            Directory.CreateDirectory(pickup);
            await mime.WriteToAsync(Path.Combine(pickup, $"{message.Id:D8}.eml"), ct);
            return;
        }

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", ct);
        }

        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(true, ct);
    }
}
