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

    /// <summary>Waits between in-process retries of a failed send (the message stays in memory).</summary>
    public TimeSpan[] RetryCooldowns { get; set; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    /// <summary>After the cooldowns: durable scheduled retries; after the last one the notice goes to the dead letters.</summary>
    public TimeSpan[] ScheduledRetries { get; set; } = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)];

    public int Attempts => 1 + RetryCooldowns.Length + ScheduledRetries.Length;
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
