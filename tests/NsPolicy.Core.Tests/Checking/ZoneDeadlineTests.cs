using NsPolicy.Core.Live;

namespace NsPolicy.Core.Tests.Checking;

public sealed class ZoneDeadlineTests
{
    [Theory]
    [InlineData(300, 10)]
    [InlineData(300, 6)]
    [InlineData(2, 2)]
    public void The_zone_deadline_is_computed_without_overflow_and_a_timer_can_wait_for_it(int seconds, int retries)
    {
        var options = new LiveOptions { Timeout = TimeSpan.FromSeconds(seconds), Retries = retries };

        var deadline = options.EffectiveZoneDeadline;

        Assert.InRange(deadline, TimeSpan.FromSeconds(10), LiveOptions.MaxZoneDeadline);
        using var timer = new CancellationTokenSource(deadline);
        Assert.False(timer.IsCancellationRequested);
    }

    [Fact]
    public void A_huge_timeout_saturates_instead_of_overflowing()
    {
        var options = new LiveOptions { Timeout = TimeSpan.MaxValue, Retries = 10 };

        Assert.Equal(LiveOptions.MaxZoneDeadline, options.EffectiveZoneDeadline);
        Assert.Equal(LiveOptions.MaxZoneDeadline, (options with { ZoneDeadline = TimeSpan.MaxValue }).EffectiveZoneDeadline);
    }

    [Fact]
    public void The_default_deadline_is_eight_times_the_worst_query()
    {
        var options = new LiveOptions { Timeout = TimeSpan.FromSeconds(2), Retries = 2 };

        Assert.Equal(TimeSpan.FromSeconds(2 * 7 * 8), options.EffectiveZoneDeadline);
    }
}
