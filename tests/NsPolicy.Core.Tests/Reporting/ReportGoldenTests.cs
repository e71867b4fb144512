using NsPolicy.Core.Reporting;

namespace NsPolicy.Core.Tests.Reporting;

/// <summary>
/// Each testdata/report/NAME.yaml is validated and rendered in every format; the output must equal
/// NAME.FORMAT.out beside it. The github case holds the annotations, then the job summary.
/// </summary>
public sealed class ReportGoldenTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in ReportCases.Names())
        {
            foreach (var format in ReportFormats.Names)
            {
                data.Add(name, format);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Report_matches_golden_file(string name, string format)
    {
        var input = await ReportCases.LoadAsync(name);
        Assert.True(ReportFormats.TryParse(format, out var parsed));

        var output = parsed.Render(input);
        if (parsed == ReportFormat.GitHub)
        {
            output += "---- job summary ----\n" + GitHubReporter.Summary(input);
        }

        Golden.Assert(Repository.PathOf(ReportCases.Folder, $"{name}.{format}.out"), output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Rendering_twice_gives_the_same_bytes(string name, string format)
    {
        Assert.True(ReportFormats.TryParse(format, out var parsed));

        var first = parsed.Render(await ReportCases.LoadAsync(name));
        var second = parsed.Render(await ReportCases.LoadAsync(name));

        Assert.Equal(first, second);
        Assert.DoesNotContain('\r', first.Replace("%0D", string.Empty, StringComparison.Ordinal));
    }
}
