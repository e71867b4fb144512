namespace NsPolicy.Dns.Transport;

/// <summary>How one query is sent. Defaults: UDP with EDNS(0) 1232, 2 s per attempt, 2 retries.</summary>
public sealed record QueryOptions
{
    public static QueryOptions Default { get; } = new();

    /// <summary>Time allowed for the first attempt; each retry doubles it (back-off).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts after the first one, for timeouts, network errors and refused connections.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>
    /// Pause before the first retry after an attempt that failed at once (network error, refused
    /// connection); it doubles for each further retry. A timed-out attempt has already waited.
    /// </summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Skip UDP and ask over TCP only.</summary>
    public bool TcpOnly { get; init; }

    /// <summary>Set the DO bit (RFC 3225) so that the server includes DNSSEC records.</summary>
    public bool DnssecOk { get; init; }

    public bool RecursionDesired { get; init; }

    /// <summary>The EDNS(0) UDP payload size advertised (RFC 6891 §6.2.5; 1232 per DNS flag day 2020).</summary>
    public ushort UdpPayloadSize { get; init; } = 1232;

    /// <summary>The EDNS version sent (RFC 6891 §6.1.3); only 0 is defined, others probe for BADVERS.</summary>
    public byte EdnsVersion { get; init; }

    /// <summary>An empty EDNS option with this code is sent (RFC 6891 §6.1.2: unknown options must be ignored); null: none.</summary>
    public ushort? EdnsOptionCode { get; init; }

    /// <summary>
    /// EDNS flag bits sent besides DO: only to probe that a server ignores the undefined ones (RFC
    /// 6891 §6.1.4: Z, sent as zero, ignored by receivers); DO has its own option and is not taken from here.
    /// </summary>
    public ushort EdnsFlags { get; init; }

    /// <summary>A truncated UDP response is the outcome instead of being asked again over TCP (to see what a truncated answer carries).</summary>
    public bool KeepTruncated { get; init; }

    /// <summary>Time allowed for a whole zone transfer.</summary>
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A transfer that sends more records than this is abandoned.</summary>
    public int MaxTransferRecords { get; init; } = 1_000_000;

    /// <summary>The per-attempt timeout for attempt <paramref name="attempt"/> (0-based).</summary>
    internal TimeSpan AttemptTimeout(int attempt) => Timeout * Math.Pow(2, Math.Min(attempt, 6));

    /// <summary>The pause before attempt <paramref name="attempt"/> (1-based retry number) after a failure that came at once.</summary>
    internal TimeSpan RetryPause(int attempt) => RetryDelay * Math.Pow(2, Math.Min(attempt - 1, 6));
}
