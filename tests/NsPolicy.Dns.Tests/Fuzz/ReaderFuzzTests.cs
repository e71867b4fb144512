using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace NsPolicy.Dns.Tests.Fuzz;

/// <summary>
/// The reader against broken variants of real responses (testdata/wire/*.bin, captured from
/// BIND): each variant either parses or raises <see cref="DnsFormatException"/>, never anything
/// else, and none hangs (one variant may take at most 5 s, a bound no pause of a loaded machine
/// reaches; the whole run 120 s). What parses must print and survive a write-and-read round trip.
/// Fixed seeds, so a failure names a variant that can be replayed.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output)
{
    /// <summary>Variants in all, spread evenly over the captures.</summary>
    private const int Variants = 105_000;

    [Fact]
    public async Task Every_mutation_of_every_captured_response_parses_or_raises_the_format_exception()
    {
        var captures = Directory.GetFiles(TestData.PathOf("wire"), "*.bin").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(captures);
        var seeds = captures.Select(File.ReadAllBytes).ToList();

        var result = await Task.Run(() => FuzzCorpus.Run(seeds, Variants, seed: 20250101))
            .WaitAsync(TimeSpan.FromSeconds(120), CancellationToken.None);

        output.WriteLine(result.ToString());
        Assert.Equal(Variants, result.Parsed + result.Rejected);
        Assert.True(result.Parsed > Variants / 100, result.ToString());
        Assert.True(result.Rejected > Variants / 10, result.ToString());
        Assert.True(result.Slowest < TimeSpan.FromSeconds(5), result.ToString());
    }

    [Fact]
    public void The_mutator_is_deterministic_and_finds_the_compression_pointers_of_a_capture()
    {
        var seed = File.ReadAllBytes(TestData.PathOf("wire", "example.test-ns.bin"));

        var first = Variants50(seed, new Random(7));
        var second = Variants50(seed, new Random(7));

        Assert.Equal(first, second);
        Assert.Contains(first, m => m != Convert.ToHexString(seed));
        Assert.NotEmpty(WireMutator.PointerOffsets(seed));
    }

    private static List<string> Variants50(byte[] seed, Random random) =>
        [.. Enumerable.Range(0, 50).Select(_ => Convert.ToHexString(WireMutator.Mutate(seed, random)))];
}

/// <summary>The fuzzing loop, shared by the recorded captures and the lab's live responses.</summary>
internal static class FuzzCorpus
{
    public sealed record Result(int Parsed, int Rejected, TimeSpan Slowest, TimeSpan Total)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Parsed} parsed, {Rejected} rejected, slowest {Slowest.TotalMilliseconds:F2} ms, total {Total.TotalSeconds:F2} s");
    }

    /// <summary>
    /// Reads <paramref name="count"/> variants (round-robin over <paramref name="seeds"/>). Throws
    /// <see cref="Xunit.Sdk.XunitException"/> naming the variant when the reader raises anything but
    /// <see cref="DnsFormatException"/>, or when a parsed message cannot be printed or written and read back equal.
    /// </summary>
    public static Result Run(IReadOnlyList<byte[]> seeds, int count, int seed)
    {
        var random = new Random(seed);
        var parsed = 0;
        var rejected = 0;
        var slowest = TimeSpan.Zero;
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var variant = WireMutator.Mutate(seeds[i % seeds.Count], random);
            var started = Stopwatch.GetTimestamp();
            DnsMessage message;
            try
            {
                message = DnsMessage.FromWire(variant);
            }
            catch (DnsFormatException)
            {
                rejected++;
                continue;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException(Describe(i, variant, "the reader raised " + e));
            }
            finally
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                slowest = elapsed > slowest ? elapsed : slowest;
            }

            parsed++;
            try
            {
                _ = message.ToString();
                var again = DnsMessage.FromWire(message.ToWire());
                if (!again.Equals(message))
                {
                    throw new Xunit.Sdk.XunitException(Describe(i, variant, "written and read back, the message differs:\n" + message + "\n---\n" + again));
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException(Describe(i, variant, "a parsed message could not be printed or written and read back: " + e));
            }
        }

        return new Result(parsed, rejected, slowest, total.Elapsed);
    }

    private static string Describe(int index, byte[] variant, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"variant {index} ({Convert.ToHexString(variant)}): {what}");
}
