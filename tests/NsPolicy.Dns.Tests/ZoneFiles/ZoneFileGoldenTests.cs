using NsPolicy.Dns.Tests.Support;
// Golden zone files: testdata/zonefile/NAME.zone loads to NAME.out (records in presentation form,
// then errors as file:line:col: token: message). Rewrite with NSPOLICY_UPDATE_GOLDEN=1 (never under CI=true).
using System.Text;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Dns.Tests.ZoneFiles;

public sealed class ZoneFileGoldenTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(TestData.PathOf("zonefile"), "*.zone").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loads_each_golden_zone_file_to_its_records_and_errors(string name)
    {
        var directory = TestData.PathOf("zonefile");
        var text = File.ReadAllText(Path.Combine(directory, name + ".zone"));
        var result = ZoneFileReading.ParseText(text, name + ".zone", Origin, new ZoneFileOptions { BaseDirectory = directory });

        var output = new StringBuilder();
        foreach (var record in result.Records)
        {
            output.Append(record).Append('\n');
        }

        output.Append("; errors\n");
        foreach (var error in result.Errors)
        {
            output.Append(error).Append('\n');
        }

        Golden.Assert(Repository.PathOf("tests", "NsPolicy.Dns.Tests", "testdata", "zonefile", name + ".out"), output.ToString());
    }
}
