using System.Diagnostics;

namespace NsPolicy.Lab.Delay;

/// <summary>
/// Holds every packet of a netfilter queue for a delay drawn uniformly from
/// [<paramref name="delayMs"/> − <paramref name="jitterMs"/>, <paramref name="delayMs"/> + <paramref name="jitterMs"/>]
/// milliseconds, then accepts it. The receiving thread draws the delay and puts the packet in a
/// queue ordered by due time; one verdict thread waits for the earliest due time and accepts what is
/// due, in one datagram. Verdicts go out in due order, not arrival order: jitter reorders packets, as
/// netem's does. A packet is never released before its due time.
/// </summary>
internal sealed class PacketDelayer(NetfilterQueue queue, double delayMs, double jitterMs, Random random)
{
    private const int BatchLimit = 64;

    private readonly object gate = new();
    private readonly PriorityQueue<HeldPacket, long> held = new();
    private readonly DelayStatistics statistics = new();
    private bool receiving = true;
    private Exception? verdictFailure;

    /// <summary>Runs until <paramref name="stop"/>, then accepts what it still holds at its due time and returns what it did. Throws what failed.</summary>
    public DelayStatistics Run(CancellationToken stop)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var verdicts = new Thread(() => SendVerdicts(failed)) { Name = "nfqueue verdicts", IsBackground = true };
        verdicts.Start();
        try
        {
            while (!failed.IsCancellationRequested)
            {
                queue.Receive(Hold, () => statistics.Overruns++);
            }
        }
        finally
        {
            lock (gate)
            {
                receiving = false;
                Monitor.Pulse(gate);
            }

            verdicts.Join();
        }

        if (verdictFailure is not null)
        {
            throw new NetfilterQueueException("the verdict thread failed: " + verdictFailure.Message);
        }

        return statistics;
    }

    private void Hold(uint id)
    {
        var drawn = delayMs - jitterMs + 2 * jitterMs * random.NextDouble();
        statistics.Drawn(drawn);
        var now = Stopwatch.GetTimestamp();
        var due = now + (long)Math.Ceiling(drawn * Stopwatch.Frequency / 1000.0);
        lock (gate)
        {
            var earliest = held.TryPeek(out _, out var first) ? first : long.MaxValue;
            held.Enqueue(new HeldPacket(id, now), due);
            if (due < earliest)
            {
                Monitor.Pulse(gate);
            }
        }
    }

    private void SendVerdicts(CancellationTokenSource failed)
    {
        var batch = new byte[BatchLimit * NfqueueMessages.VerdictLength];
        var released = new List<HeldPacket>(BatchLimit);
        try
        {
            while (NextDue(released))
            {
                var length = 0;
                foreach (var packet in released)
                {
                    length += queue.WriteAccept(batch.AsSpan(length), packet.Id);
                }

                queue.SendVerdicts(batch, length);
                var sent = Stopwatch.GetTimestamp();
                foreach (var packet in released)
                {
                    statistics.Released(Stopwatch.GetElapsedTime(packet.ReceivedAt, sent).TotalMilliseconds);
                }
            }
        }
        catch (Exception e) when (e is NetfilterQueueException or InvalidDataException)
        {
            verdictFailure = e;
            failed.Cancel();
        }
    }

    /// <summary>Waits until packets are due and moves them (at most one batch) into <paramref name="released"/>; false when nothing is held and receiving has stopped.</summary>
    private bool NextDue(List<HeldPacket> released)
    {
        released.Clear();
        lock (gate)
        {
            while (true)
            {
                if (!held.TryPeek(out _, out var due))
                {
                    if (!receiving)
                    {
                        return false;
                    }

                    Monitor.Wait(gate);
                    continue;
                }

                var now = Stopwatch.GetTimestamp();
                if (due > now)
                {
                    var milliseconds = (int)Math.Ceiling((due - now) * 1000.0 / Stopwatch.Frequency);
                    Monitor.Wait(gate, Math.Max(1, milliseconds));
                    continue;
                }

                while (released.Count < BatchLimit && held.TryPeek(out _, out due) && due <= now)
                {
                    released.Add(held.Dequeue());
                }

                return true;
            }
        }
    }

    private readonly record struct HeldPacket(uint Id, long ReceivedAt);
}

/// <summary>
/// What the delayer did: the delays it drew (each packet's) and the time each packet was actually
/// held, from its arrival in the delayer to its verdict. The receiving thread writes the drawn
/// figures, the verdict thread the held ones; they are read after both stopped.
/// </summary>
internal sealed class DelayStatistics
{
    public long Packets { get; private set; }

    public double DrawnMinMs { get; private set; } = double.PositiveInfinity;

    public double DrawnMaxMs { get; private set; } = double.NegativeInfinity;

    public double DrawnSumMs { get; private set; }

    public long ReleasedPackets { get; private set; }

    public double HeldMinMs { get; private set; } = double.PositiveInfinity;

    public double HeldMaxMs { get; private set; } = double.NegativeInfinity;

    /// <summary>Times the kernel could not hand messages over (ENOBUFS, NLMSG_OVERRUN): packets lost by accident.</summary>
    public long Overruns { get; set; }

    public void Drawn(double milliseconds)
    {
        Packets++;
        DrawnSumMs += milliseconds;
        DrawnMinMs = Math.Min(DrawnMinMs, milliseconds);
        DrawnMaxMs = Math.Max(DrawnMaxMs, milliseconds);
    }

    public void Released(double milliseconds)
    {
        ReleasedPackets++;
        HeldMinMs = Math.Min(HeldMinMs, milliseconds);
        HeldMaxMs = Math.Max(HeldMaxMs, milliseconds);
    }
}
