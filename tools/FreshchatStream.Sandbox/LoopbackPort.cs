using System.Net;
using System.Net.Sockets;

namespace FreshchatStream.Sandbox;

/// <summary>A loopback TCP port free right now, for servers that must be told their port up front (redis-server, a producer's webhook listener).</summary>
public static class LoopbackPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
