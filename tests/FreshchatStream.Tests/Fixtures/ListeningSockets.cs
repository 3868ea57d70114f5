using System.Globalization;
using System.Net;

namespace FreshchatStream.Tests.Fixtures;

/// <summary>
/// The local addresses of the TCP sockets listening on a port, read from the kernel's tables
/// (<c>/proc/net/tcp</c>, <c>/proc/net/tcp6</c>) — what a process really bound, not what it was told.
/// </summary>
public static class ListeningSockets
{
    private const string Listen = "0A";

    public static IReadOnlyList<IPAddress> On(int port) =>
        [.. Read("/proc/net/tcp", port, ipv6: false), .. Read("/proc/net/tcp6", port, ipv6: true)];

    private static IEnumerable<IPAddress> Read(string table, int port, bool ipv6)
    {
        if (!File.Exists(table))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(table).Skip(1))
        {
            // "  0: 0100007F:1F90 00000000:0000 0A ..." — local address:port (hex), remote, state.
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var local = fields[1].Split(':');
            if (fields[3] != Listen || int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port)
            {
                continue;
            }

            yield return Decode(local[0], ipv6);
        }
    }

    // The kernel prints each 32-bit word of the address in host (little-endian) byte order.
    private static IPAddress Decode(string hex, bool ipv6)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        return new IPAddress(ipv6 ? bytes : bytes[..4]);
    }
}
