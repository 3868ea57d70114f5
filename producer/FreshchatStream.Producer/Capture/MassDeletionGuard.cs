using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Holds back a pass that would delete more than half of a resource's known ids (and at least
/// <see cref="MinimumHeld"/> of them) until a second listing, at least one poll interval later, misses the same ids.
/// A listing that comes back short because of a server fault (a 404 read as empty, a truncated page walk) must not
/// turn into <c>d</c> events for the whole catalogue; a real mass deletion costs one poll interval of delay.
/// The held set lives in the meta field <see cref="MetaFields.DeletionsHeld"/> as <c>{count} {since} {hash}</c>.
/// </summary>
public static class MassDeletionGuard
{
    public const int MinimumHeld = 3;

    /// <summary>Whether deleting <paramref name="candidates"/> of <paramref name="known"/> ids is a mass deletion.</summary>
    public static bool IsMassDeletion(int candidates, int known) => candidates >= MinimumHeld && candidates * 2 > known;

    /// <summary>
    /// What to do with a mass deletion, given the held state from the last pass (<paramref name="held"/>, may be
    /// null or empty): proceed when the same ids were held at least <paramref name="pollInterval"/> ago, else hold
    /// (the returned state is the one to store).
    /// </summary>
    public static MassDeletionDecision Decide(IReadOnlyCollection<string> candidates, string? held, DateTimeOffset now, TimeSpan pollInterval)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var hash = Hash(candidates);
        if (Parse(held) is { } previous && previous.Hash == hash)
        {
            return now - previous.Since >= pollInterval
                ? new MassDeletionDecision(true, previous.Since, string.Empty)
                : new MassDeletionDecision(false, previous.Since, held!);
        }

        return new MassDeletionDecision(false, now, $"{candidates.Count.ToString(CultureInfo.InvariantCulture)} {MetaFields.Format(now)} {hash}");
    }

    private static (DateTimeOffset Since, string Hash)? Parse(string? held)
    {
        var parts = held?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: 3 } && MetaFields.ParseTime(parts[1]) is { } since ? (since, parts[2]) : null;
    }

    private static string Hash(IReadOnlyCollection<string> ids) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', ids.Order(StringComparer.Ordinal)))))[..32];
}
