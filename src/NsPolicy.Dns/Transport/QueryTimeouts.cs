// The timeout of each UDP attempt. A cancellation source with its own timer per query costs an
// allocation, a timer and (when the caller's token can cancel) a linked source per query; at tens
// of thousands of queries per second that is a measurable share of the client's time. Sources are
// reused instead: the runtime's timer of a source that did not fire is re-armed by the next
// CancelAfter (all of them sit in the runtime's one timer queue), and the caller's token is
// registered on the source rather than linked to it. A source that fired, or that the caller's
// token cancelled, is never reused. With a TimeProvider other than the system's (tests), every
// attempt gets a new source on that provider, as before.
using System.Collections.Concurrent;

namespace NsPolicy.Dns.Transport;

internal sealed class QueryTimeouts(TimeProvider time)
{
    /// <summary>Idle sources kept for reuse; about the number of queries in flight at once.</summary>
    private const int MaxIdle = 1024;

    private readonly ConcurrentQueue<CancellationTokenSource> _idle = new();
    private readonly bool _reusable = ReferenceEquals(time, TimeProvider.System);
    private int _idleCount;

    /// <summary>A source that cancels after <paramref name="timeout"/> or when <paramref name="caller"/> does.</summary>
    public Lease Start(TimeSpan timeout, CancellationToken caller)
    {
        CancellationTokenSource source;
        if (!_reusable)
        {
            source = new CancellationTokenSource(timeout, time);
        }
        else
        {
            if (_idle.TryDequeue(out var idle))
            {
                Interlocked.Decrement(ref _idleCount);
                source = idle;
            }
            else
            {
                source = new CancellationTokenSource();
            }

            source.CancelAfter(timeout);
        }

        var registration = caller.CanBeCanceled
            ? caller.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source)
            : default;
        return new Lease(source, registration);
    }

    /// <summary>Ends the attempt: the source goes back for reuse when it never cancelled.</summary>
    public void Return(Lease lease)
    {
        lease.Registration.Dispose();
        var source = lease.Source;
        if (_reusable && source.TryReset())
        {
            if (Interlocked.Increment(ref _idleCount) <= MaxIdle)
            {
                _idle.Enqueue(source);
                return;
            }

            Interlocked.Decrement(ref _idleCount);
        }

        source.Dispose();
    }

    internal readonly record struct Lease(CancellationTokenSource Source, CancellationTokenRegistration Registration)
    {
        public CancellationToken Token => Source.Token;
    }
}
