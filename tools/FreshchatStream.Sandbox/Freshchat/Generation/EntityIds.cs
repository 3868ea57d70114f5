namespace FreshchatStream.Sandbox.Freshchat.Generation;

/// <summary>
/// UUID-shaped ids that encode their entity index reversibly (last 12 hex digits = index·odd + mask mod 2^48),
/// so a lookup by id needs no dictionary: decode, then regenerate and compare to reject forged ids.
/// </summary>
internal sealed class EntityIds(int seed)
{
    private const ulong Mask48 = 0xFFFF_FFFF_FFFFUL;
    private const ulong Odd = 0x5DEE_CE66_D1CBUL;
    private static readonly ulong OddInverse = Inverse(Odd);

    public string Encode(HashStream kind, long index)
    {
        var h1 = DeterministicHash.Of(seed, (int)kind, index, 1);
        var h2 = DeterministicHash.Of(seed, (int)kind, index, 2);
        var mask = DeterministicHash.Of(seed, (int)kind, -1, 3) & Mask48;
        var tail = ((ulong)index * Odd + mask) & Mask48;
        var a = (uint)(h1 >> 32);
        var b = (ushort)(h1 >> 16);
        var c = (ushort)(h1 & 0x0FFF | 0x4000);
        var d = (ushort)(h2 & 0x3FFF | 0x8000);
        return $"{a:x8}-{b:x4}-{c:x4}-{d:x4}-{tail:x12}";
    }

    /// <summary>The index an id was generated from, or -1 when the id was not produced by <see cref="Encode"/>.</summary>
    public long Decode(HashStream kind, string? id)
    {
        if (id is null || id.Length != 36) return -1;
        if (!ulong.TryParse(id.AsSpan(24), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var tail)) return -1;
        var mask = DeterministicHash.Of(seed, (int)kind, -1, 3) & Mask48;
        var index = (long)((tail - mask) * OddInverse & Mask48);
        return string.Equals(Encode(kind, index), id, StringComparison.OrdinalIgnoreCase) ? index : -1;
    }

    private static ulong Inverse(ulong odd)
    {
        var inv = odd;
        for (var i = 0; i < 6; i++) inv *= 2 - odd * inv;
        return inv;
    }
}
