using System.Net;
using System.Net.Sockets;

namespace Ledger.IntegrationTests.Harness;

/// <summary>Loopback ports for the processes a test starts (API nodes, the balancer, a PostgreSQL cluster).</summary>
public static class Ports
{
    /// <summary>A port nothing listens on now: the operating system's pick, released at once for the process to bind.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
