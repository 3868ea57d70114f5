using System.Net;
using System.Net.Sockets;

namespace FreshchatStream.Tests.Fixtures;

/// <summary>Finds a loopback TCP port nobody listens on, for servers that cannot bind port 0 themselves.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
