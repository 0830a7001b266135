using Ledger.Domain.Notifications;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Ledger.Api.Notifications.Email;

/// <summary>Writes a notice as an e-mail and hands it to the configured SMTP server (MailKit).</summary>
public sealed class NoticeMailer(NoticeTemplates templates, IOptions<NotificationOptions> options)
{
    public static string MessageIdFor(Guid noticeId, string domain) => $"{noticeId:N}@{domain}";

    /// <summary>
    /// The Message-Id and Date come from the notice, never the clock: a resend after a crash between the SMTP server's
    /// acceptance and our delivery record is the same message, which receiving systems can recognise.
    /// </summary>
    public MimeMessage Compose(Notice notice, int templateVersion, (string Name, byte[] Bytes)? attachment)
    {
        var o = options.Value;
        var text = templates.Write(notice, templateVersion);
        var message = new MimeMessage
        {
            MessageId = MessageIdFor(notice.NoticeId, o.MessageIdDomain),
            Date = notice.OccurredAt,
            Subject = text.Subject,
        };
        message.From.Add(new MailboxAddress(o.FromName, o.From));
        message.To.Add(new MailboxAddress(notice.To.Name, notice.To.Email ?? throw new InvalidOperationException($"Notice {notice.NoticeId} is an e-mail without an address.")));
        message.Headers.Add("X-Ledger-Notice", $"{notice.Kind}; v{templateVersion}");
        var body = new BodyBuilder { TextBody = text.Text, HtmlBody = text.Html };
        if (attachment is { } file)
            body.Attachments.Add(file.Name, file.Bytes, new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        return message;
    }

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        await client.ConnectAsync(smtp.Host, smtp.Port, Enum.Parse<SecureSocketOptions>(smtp.Security, ignoreCase: true), ct);
        if (!string.IsNullOrEmpty(smtp.User))
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
