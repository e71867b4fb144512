using System.Net;
using System.Net.Sockets;
using NsPolicy.Dns.Tests.Lab;
using Xunit.Abstractions;

namespace NsPolicy.Dns.Tests.LabTests;

/// <summary>
/// The lab fails loudly (server name, command line, output) instead of hanging or skipping, and
/// a second lab can run beside the shared one. In the lab's collection so that these starts do
/// not compete for the two cores with the other lab tests.
/// </summary>
[Collection(DnsLabCollection.Name)]
public sealed class DnsLabFailureTests(DnsLabFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_second_lab_starts_in_another_slot_beside_the_shared_one()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var second = await DnsLab.StartAsync(null, limit.Token);
        output.WriteLine("second lab in slot {0} started in {1:F1} s", second.Addresses.Slot, second.StartupDuration.TotalSeconds);

        Assert.NotEqual(fixture.Lab.Addresses.Slot, second.Addresses.Slot);
        var answer = await LabDig.QueryAsync(second.ResolverAddress, "www.good.test.", "A", ["+rec", "+time=5"], limit.Token);
        Assert.Equal("NOERROR", answer.Status);
        Assert.True(answer.HasFlag("ad"), answer.ToString());
    }

    [Fact]
    public async Task Starting_a_lab_in_a_taken_slot_fails_naming_the_slot()
    {
        var slot = fixture.Lab.Addresses.Slot;

        var error = await Assert.ThrowsAsync<DnsLabException>(() => DnsLab.StartAsync(slot, CancellationToken.None));

        Assert.Contains("slot " + slot.ToString(System.Globalization.CultureInfo.InvariantCulture) + " is taken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_a_lab_whose_address_is_in_use_fails_naming_the_address()
    {
        var slot = LabSlot.Acquire(null);
        var address = new LabAddresses(slot.Number).Of(LabHost.Closed);
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(address, 53));

        var error = await Assert.ThrowsAsync<DnsLabException>(() => DnsLab.StartInSlotAsync(slot, CancellationToken.None));

        Assert.Contains(address + ":53", error.Message, StringComparison.Ordinal);
        Assert.Contains("UDP", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_server_binary_fails_naming_the_server_and_command()
    {
        var error = Assert.Throws<DnsLabException>(
            () => LabServerProcess.Start("Imaginary", "nspolicy-no-such-server", ["-c", "x.conf"], Path.GetTempPath(), null));

        Assert.Contains("lab server Imaginary", error.Message, StringComparison.Ordinal);
        Assert.Contains("nspolicy-no-such-server -c x.conf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_exits_on_a_config_error_fails_with_its_own_output()
    {
        var missing = Path.Combine(Path.GetTempPath(), "nspolicy-lab-no-such-dir", "named.conf");
        using var server = LabServerProcess.Start("BrokenBind", "named", ["-g", "-4", "-c", missing], Path.GetTempPath(), null);

        var error = await Assert.ThrowsAsync<DnsLabException>(() => DnsLab.WaitForAnswerAsync(
            server, fixture.Lab.Addresses.Data(254), ".", recursionDesired: false, CancellationToken.None));

        Assert.Contains("lab server BrokenBind stopped before it served", error.Message, StringComparison.Ordinal);
        Assert.Contains("named -g -4 -c " + missing, error.Message, StringComparison.Ordinal);
        Assert.Contains(missing + ": file not found", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Leftovers of a run that was killed are ended by the next lab in the slot, and nothing else is.</summary>
[Collection(DnsLabCollection.Name)]
public sealed class LabSlotTests
{
    [Fact]
    public async Task Leftover_servers_of_a_killed_run_are_ended_and_unrelated_processes_are_not()
    {
        var staleRun = Path.Combine(LabSlot.StateDirectory, "run-leftover-" + Guid.NewGuid().ToString("N"));
        var otherRun = Path.Combine(LabSlot.StateDirectory, "run-other-" + Guid.NewGuid().ToString("N"));
        using var leftover = StartSleeper(staleRun);
        using var bystander = StartSleeper(otherRun);
        try
        {
            using (var slot = LabSlot.Acquire(null))
            {
                await File.WriteAllTextAsync(
                    slot.ProcessFile,
                    FormattableString.Invariant($"{leftover.Id}\t{staleRun}\n{bystander.Id}\t{staleRun}\n"),
                    CancellationToken.None);
                slot.EndLeftovers();
            }

            Assert.True(leftover.WaitForExit(5000), "the leftover was not ended");
            Assert.False(bystander.HasExited, "a process of another run was ended");
        }
        finally
        {
            foreach (var process in new[] { leftover, bystander })
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit(5000);
                }
            }
        }
    }

    /// <summary>A process whose command line names <paramref name="runDirectory"/>, as a lab server's does.</summary>
    private static System.Diagnostics.Process StartSleeper(string runDirectory) =>
        System.Diagnostics.Process.Start(LabProcess.CreateStartInfo("bash", ["-c", "read -r -t 60 line", runDirectory], null))
        ?? throw new InvalidOperationException("sh did not start");
}
