using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NsPolicy.Tests.Shared.GitHub;

/// <summary>One HTTP request as the loopback server read it.</summary>
internal sealed record HttpExchange(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>The answer to send; the handler returns null to cut the connection without any answer.</summary>
internal sealed record HttpReply(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A small HTTP/1.1 server on a loopback port: Content-Length bodies, one request per connection,
/// and the one thing ready-made servers do not offer a test: closing a connection with a reset and
/// no response at all, as a dying proxy or a killed server would. Enough for an HttpClient.
/// Connections are not kept alive: a client retries a request by itself when a reused connection
/// dies before the response, which would make injected faults vanish unpredictably.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private const int MaxHead = 64 * 1024;
    private readonly TcpListener listener;
    private readonly Func<HttpExchange, Task<HttpReply?>> handle;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> connections = [];
    private readonly Task accepting;

    public LoopbackHttpServer(Func<HttpExchange, Task<HttpReply?>> handle)
    {
        this.handle = handle;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        accepting = Task.Run(AcceptAsync);
    }

    public Uri BaseUri { get; }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        Task[] open;
        lock (connections)
        {
            open = [.. connections];
        }

        await Task.WhenAny(Task.WhenAll(open), Task.Delay(TimeSpan.FromSeconds(10)));
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // InvalidOperationException: disposed before the first accept began (the listener is stopped).
                return;
            }

            var connection = Task.Run(() => ServeAsync(client));
            lock (connections)
            {
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(connection);
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new List<byte>();
            try
            {
                var request = await ReadRequestAsync(stream, buffer);
                if (request is null)
                {
                    return;
                }

                var reply = await handle(request);
                if (reply is null)
                {
                    // A reset, not a polite close: the client sees the connection die with no response.
                    client.Client.LingerState = new LingerOption(true, 0);
                    return;
                }

                await WriteReplyAsync(stream, reply);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away or the test is over.
            }
        }
    }

    private async Task<HttpExchange?> ReadRequestAsync(NetworkStream stream, List<byte> buffer)
    {
        int end;
        while ((end = HeadEnd(buffer)) < 0)
        {
            if (buffer.Count > MaxHead || !await FillAsync(stream, buffer))
            {
                return null;
            }
        }

        var head = Encoding.ASCII.GetString([.. buffer.GetRange(0, end)]).Split("\r\n");
        buffer.RemoveRange(0, end + 4);
        var requestLine = head[0].Split(' ');
        if (requestLine.Length != 3)
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
        while (buffer.Count < length)
        {
            if (!await FillAsync(stream, buffer))
            {
                return null;
            }
        }

        var body = buffer.GetRange(0, length).ToArray();
        buffer.RemoveRange(0, length);
        var target = requestLine[1];
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = question < 0 ? string.Empty : target[question..];
        return new HttpExchange(requestLine[0], path, query, headers, body);
    }

    private async Task<bool> FillAsync(NetworkStream stream, List<byte> buffer)
    {
        var chunk = new byte[8192];
        var read = await stream.ReadAsync(chunk, stopping.Token);
        buffer.AddRange(chunk.AsSpan(0, read));
        return read > 0;
    }

    private static int HeadEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private async Task WriteReplyAsync(NetworkStream stream, HttpReply reply)
    {
        var body = Encoding.UTF8.GetBytes(reply.Body);
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {reply.Status} {Reason(reply.Status)}\r\n");
        head.Append("Content-Type: application/json; charset=utf-8\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        head.Append("Connection: close\r\n");
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), stopping.Token);
        await stream.WriteAsync(body, stopping.Token);
        await stream.FlushAsync(stopping.Token);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Status",
    };
}
