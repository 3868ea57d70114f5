namespace FreshchatStream.Consumers.Landing;

/// <summary>How every lander kind consumes, bound from <c>Lander:*</c>; each documented option overrides its key.</summary>
public sealed class LanderOptions
{
    public const string Section = "Lander";

    /// <summary>Resources to land, comma-separated (<c>users,messages</c>); empty = all (<c>--topics</c>).</summary>
    public string? Topics { get; set; }

    /// <summary>Consumer group; empty = <c>freshchat-lander-{kind}</c> (<c>--group</c>).</summary>
    public string? Group { get; set; }

    /// <summary>Most records landed per database transaction (<c>--batch-size</c>).</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Longest wait to fill a batch before landing what is there.</summary>
    public TimeSpan BatchWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Consumer group session timeout (<c>--session-timeout-ms</c>); short values make restarts rejoin faster.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(45);
}
