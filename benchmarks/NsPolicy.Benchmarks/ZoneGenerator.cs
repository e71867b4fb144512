// Deterministic zone files for the parser benchmarks and scripts/bench-zones.sh. The same kind and
// record count always give the same bytes (own xorshift generator, invariant culture, LF), so runs
// on different days and machines measure the same input.
using System.Globalization;
using System.Text;

namespace NsPolicy.Benchmarks;

/// <summary>The two shapes of zone that the benchmarks measure.</summary>
public enum ZoneKind
{
    /// <summary>A top-level domain: delegations with NS, glue A/AAAA for in-bailiwick servers, and DS.</summary>
    Tld,

    /// <summary>A company's zone: hosts (A, AAAA), aliases, mail, services, TXT, CAA and a few delegations.</summary>
    Corporate,
}

/// <summary>Writes a zone of exactly the requested number of records that BIND, Knot and NSD all load.</summary>
public static class ZoneGenerator
{
    /// <summary>The origin each kind is generated for.</summary>
    public static string OriginOf(ZoneKind kind) => kind == ZoneKind.Tld ? "bench-tld." : "corp.bench-tld.";

    /// <summary>The whole zone as text (for in-memory benchmarks).</summary>
    public static string Generate(ZoneKind kind, int records)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(kind, records, writer);
        return writer.ToString();
    }

    /// <summary>Writes the zone to <paramref name="output"/>; returns the record count (always <paramref name="records"/>).</summary>
    public static int Write(ZoneKind kind, int records, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(records, 16);
        var zone = new Emitter(output, records);
        if (kind == ZoneKind.Tld)
        {
            WriteTld(zone);
        }
        else
        {
            WriteCorporate(zone);
        }

        return zone.Count;
    }

    private static void WriteApex(Emitter zone, string first, string second)
    {
        zone.Line("$TTL 86400");
        zone.Record($"@\tIN\tSOA\t{first} hostmaster 2024010101 1800 900 604800 3600");
        zone.Record($"@\tIN\tNS\t{first}");
        zone.Record($"@\tIN\tNS\t{second}");
        zone.Record($"{first}\tIN\tA\t192.0.2.1");
        zone.Record("\tIN\tAAAA\t2001:db8::1");
        zone.Record($"{second}\tIN\tA\t192.0.2.2");
        zone.Record("\tIN\tAAAA\t2001:db8::2");
    }

    private static void WriteTld(Emitter zone)
    {
        var random = new XorShift(0x5EED_0001);
        zone.Line("$ORIGIN bench-tld.");
        WriteApex(zone, "a.nic", "b.nic");
        for (var i = 0; ; i++)
        {
            var label = Label(ref random, i);
            var inBailiwick = random.Next(100) < 60;
            var signed = random.Next(100) < 30;
            var size = (inBailiwick ? 5 : 2) + (signed ? 1 : 0);
            if (!zone.Fits(size))
            {
                break;
            }

            if (inBailiwick)
            {
                zone.Record($"{label}\t\tNS\tns1.{label}");
                zone.Record($"\t\tNS\tns2.{label}");
                if (signed)
                {
                    zone.Record($"\t3600\tDS\t{random.Next(65536)} 13 2 {Hex(ref random, 32)}");
                }

                zone.Record($"ns1.{label}\t\tA\t{Ipv4(ref random)}");
                zone.Record($"\t\tAAAA\t{Ipv6(ref random)}");
                zone.Record($"ns2.{label}\t\tA\t{Ipv4(ref random)}");
            }
            else
            {
                var provider = random.Next(500);
                zone.Record($"{label}\t\tNS\tns1.provider{provider}.example.");
                zone.Record($"{label}\t\tNS\tns2.provider{provider}.example.");
                if (signed)
                {
                    zone.Record($"{label}\t3600\tIN\tDS\t{random.Next(65536)} 8 2 {Hex(ref random, 32)}");
                }
            }
        }

        zone.Pad();
    }

    private static void WriteCorporate(Emitter zone)
    {
        var random = new XorShift(0x5EED_0002);
        zone.Line("$ORIGIN corp.bench-tld.");
        WriteApex(zone, "ns1", "ns2");
        zone.Record("@\tIN\tMX\t10 mail");
        zone.Record("@\tIN\tTXT\t\"v=spf1 mx -all\"");
        zone.Record("@\tIN\tCAA\t0 issue \"ca.example\"");
        const int Hosts = 128;
        for (var h = 0; h < Hosts; h++)
        {
            zone.Record($"h{h}\tIN\tA\t{Ipv4(ref random)}");
        }

        zone.Record($"mail\tIN\tA\t{Ipv4(ref random)}");
        string[] departments = ["eng", "ops", "sales", "hr", "lab", "dev"];
        for (var i = 0; ; i++)
        {
            var department = departments[random.Next(departments.Length)];
            var target = $"h{random.Next(Hosts)}";
            var kind = random.Next(100);
            string[] lines = kind switch
            {
                < 35 => [$"host{i}.{department}\t\tA\t{Ipv4(ref random)}"],
                < 50 => [$"host{i}.{department}\t300\tAAAA\t{Ipv6(ref random)}"],
                < 60 => [$"alias{i}.{department}\t\tCNAME\t{target}"],
                < 65 => [$"m{i}.{department}\t\tMX\t{random.Next(50)} {target}"],
                < 77 => [$"t{i}.{department}\t\tTXT\t\"site-verification={Hex(ref random, 12)}\" \"owner {department}\""],
                < 87 => [$"_sip._udp.s{i}.{department}\t\tSRV\t10 {random.Next(100)} 5060 {target}"],
                < 89 => [$"c{i}.{department}\t\tCAA\t0 issuewild \";\""],
                < 95 => [$"web{i}.{department}\t3600\tIN\tA\t{Ipv4(ref random)}", $"\t3600\tIN\tAAAA\t{Ipv6(ref random)}", $"\t3600\tIN\tTXT\t\"svc {i}\""],
                _ => [$"sub{i}.{department}\t\tNS\tns.sub{i}.{department}", $"ns.sub{i}.{department}\t\tA\t{Ipv4(ref random)}"],
            };
            if (!zone.Fits(lines.Length))
            {
                break;
            }

            foreach (var line in lines)
            {
                zone.Record(line);
            }
        }

        zone.Pad();
    }

    private static string Label(ref XorShift random, int index)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        Span<char> prefix = stackalloc char[5];
        for (var k = 0; k < prefix.Length; k++)
        {
            prefix[k] = letters[random.Next(letters.Length)];
        }

        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{index}");
    }

    private static string Ipv4(ref XorShift random) => string.Create(CultureInfo.InvariantCulture,
        $"10.{random.Next(256)}.{random.Next(256)}.{1 + random.Next(254)}");

    private static string Ipv6(ref XorShift random) => string.Create(CultureInfo.InvariantCulture,
        $"2001:db8:{random.Next(65536):x}:{random.Next(65536):x}::{1 + random.Next(65535):x}");

    private static string Hex(ref XorShift random, int octets)
    {
        var bytes = new byte[octets];
        for (var k = 0; k < octets; k++)
        {
            bytes[k] = (byte)random.Next(256);
        }

        return Convert.ToHexString(bytes);
    }

    private sealed class Emitter(TextWriter output, int target)
    {
        public int Count { get; private set; }

        public bool Fits(int records) => Count + records <= target;

        public void Line(string text) => output.Write(text + "\n");

        public void Record(string text)
        {
            output.Write(text);
            output.Write('\n');
            Count++;
        }

        /// <summary>Fills the rest with apex TXT records so the count is exact.</summary>
        public void Pad()
        {
            for (var k = 0; Count < target; k++)
            {
                Record(string.Create(CultureInfo.InvariantCulture, $"@\t\tTXT\t\"padding {k}\""));
            }
        }
    }

    /// <summary>Marsaglia's xorshift32: tiny, fast and the same on every runtime.</summary>
    private struct XorShift(uint seed)
    {
        private uint _state = seed == 0 ? 1u : seed;

        public int Next(int bound)
        {
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            return (int)(_state % (uint)bound);
        }
    }
}
