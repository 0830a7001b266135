namespace Ledger.Api.Notifications;

public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The sender of every notice.</summary>
    public string From { get; set; } = "billing@ledger.example";

    public string FromName { get; set; } = "EventSourcedLedger billing";

    /// <summary>The right-hand side of every Message-Id (<c>&lt;notice-id@domain&gt;</c>).</summary>
    public string MessageIdDomain { get; set; } = "notices.ledger.example";

    /// <summary>The template new notices are written with; a shipped version never changes.</summary>
    public int TemplateVersion { get; set; } = 1;

    /// <summary>
    /// Waits between in-process retries of a failed send, comma-separated TimeSpans (a string, because configuration
    /// binding appends to an array default instead of replacing it; an empty string means none).
    /// </summary>
    public string RetryCooldowns { get; set; } = "00:00:01, 00:00:05";

    /// <summary>After the cooldowns: durable scheduled retries; after the last one the notice goes to the dead letters.</summary>
    public string ScheduledRetries { get; set; } = "00:01:00, 00:05:00, 00:30:00";

    public static TimeSpan[] Delays(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(d => TimeSpan.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 2525;

    /// <summary>MailKit's SecureSocketOptions by name: None, Auto, SslOnConnect, StartTls, StartTlsWhenAvailable.</summary>
    public string Security { get; set; } = "None";

    public string? User { get; set; }
    public string? Password { get; set; }
    public int TimeoutSeconds { get; set; } = 30;
}
